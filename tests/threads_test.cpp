// One compiled pack evaluated from many threads at once: a program of its own, so the
// ThreadSanitizer build (scripts/sanitize.sh) compiles one suite, not all of them.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "support.hpp"

using namespace rulebook;

TEST_CASE("threads: one compiled pack serves four threads with identical answers") {
  auto loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  std::vector<Document> docs;
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "examples/dongsheng-2024")) {
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    docs.push_back(*Document::parse(text, e.path().filename().string()).document);
  }
  REQUIRE(docs.size() >= 5);
  const EvalOptions opts{.as_of = *Date::parse("2025-06-30")};
  std::vector<std::string> want;
  for (const auto& d : docs) want.push_back(to_json(loaded.pack->evaluate(d, opts)));
  std::vector<std::thread> threads;
  std::atomic<int> same{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i)
        for (std::size_t k = 0; k < docs.size(); ++k) same += to_json(loaded.pack->evaluate(docs[k], opts)) == want[k];
    });
  for (auto& t : threads) t.join();
  CHECK(same == int(4 * 20 * docs.size()));
}
