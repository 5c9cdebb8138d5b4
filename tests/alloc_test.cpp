// Heap allocations per record in steady state (#15: the goal is none), counted phase by phase
// on the benchmark's pack and records, along the path batch takes for each record
// (engine/batch/batch.cpp, Worker::one): the fast reader, the evaluator, the summary and the
// JSON line. This program replaces the global operator new and delete to count the calls made
// on each thread, which is why it is an executable of its own, not part of rulebook_tests.
// (Under AddressSanitizer too: a program's own operator new takes precedence over the
// sanitizer runtime's; the control below fails if it did not.)

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "batch/fast_reader.hpp"
#include "compile/pack_access.hpp"
#include "corpus.hpp"
#include "eval/evaluator.hpp"
#include "report/json_lines.hpp"
#include "rulebook/batch.hpp"
#include "support.hpp"

// The most allocations per record each phase may make: none. Documents are built in the memory
// of those given back.
constexpr double max_read = 0;              // FastReader::read, and FastReader::recycle of the Document
constexpr double max_evaluate_summary = 0;  // Evaluator::run without the rules' texts (--summary)
constexpr double max_write_summary = 0;     // Summary::add
constexpr double max_evaluate_jsonl = 0;    // Evaluator::run with them (JSON Lines)
constexpr double max_write_jsonl = 0;       // append_json_line with batch's memo, to the chunk's text
// A whole `rulebook batch -j1` run, its inputs read from a file included: what each more record
// costs. The phases above, plus nothing for taking each line from its file, plus handing each
// chunk of 256 records between threads (some 6 allocations a chunk: 0.024 a record).
constexpr double max_chunk_handling = 0.05;
constexpr double max_batch_summary = max_read + max_evaluate_summary + max_write_summary + max_chunk_handling;
constexpr double max_batch_jsonl = max_read + max_evaluate_jsonl + max_write_jsonl + max_chunk_handling;

namespace {

thread_local std::size_t allocations = 0;  // operator new calls on this thread

void* counted(std::size_t n, std::size_t align) {
  ++allocations;
  n = n ? n : 1;
  // aligned_alloc wants a multiple of the alignment; malloc's suffices up to max_align_t.
  if (align > alignof(std::max_align_t)) return std::aligned_alloc(align, (n + align - 1) / align * align);
  return std::malloc(n);
}
void* or_throw(void* p) {
  if (!p) throw std::bad_alloc();
  return p;
}

template <class F>
std::size_t allocations_in(F&& f) {
  std::size_t before = allocations;
  f();
  return allocations - before;
}

}  // namespace

// Every form of the global allocation functions, so that none reaches another allocator
// (a sanitizer's runtime defines them all) uncounted.
void* operator new(std::size_t n) { return or_throw(counted(n, 0)); }
void* operator new[](std::size_t n) { return or_throw(counted(n, 0)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return or_throw(counted(n, std::size_t(a))); }
void* operator new[](std::size_t n, std::align_val_t a) { return or_throw(counted(n, std::size_t(a))); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted(n, std::size_t(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted(n, std::size_t(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

using namespace rulebook;

TEST_CASE("allocations: the counter sees an allocation") {
  std::vector<std::unique_ptr<std::string>> keep;  // kept, so no allocation can be elided
  keep.reserve(2);
  CHECK(allocations_in([&] { keep.push_back(std::make_unique<std::string>(100, 'x')); }) == 2);
  CHECK(allocations_in([&] { keep.push_back(std::unique_ptr<std::string>(new (std::nothrow) std::string)); }) == 1);
  CHECK(allocations_in([&] { keep.back()->reserve(1000); }) == 1);
  CHECK(allocations_in([] {}) == 0);
}

TEST_CASE("allocations per record in steady state, phase by phase, on the benchmark") {
  auto loaded = load_pack(test::source_dir() / "bench" / "pack");
  REQUIRE(loaded.pack);
  const CompiledPack& pack = *loaded.pack;

  // The records, each with the spare capacity batch's line reader leaves for the fast reader.
  constexpr long warm = 3000, measured = 500;  // the first records grow the reused buffers and fill the cache
  bench::Corpus corpus;
  std::vector<std::string> texts(warm + measured);
  std::string line;
  for (long i = 0; i < warm + measured; ++i) {
    corpus.record(i + 1, line);
    line.pop_back();  // the newline
    texts[std::size_t(i)].reserve(line.size() + detail::json_padding);
    texts[std::size_t(i)] = line;
  }
  // Batch gives each record its file's name, a copy per record.
  const std::string source = "build/bench/corpus-100000.jsonl";

  for (bool jsonl : {false, true}) {
    CAPTURE(jsonl);
    EvalOptions eval{.as_of = *Date::parse("2025-12-31"), .trace = false};  // as `rulebook batch` sets them
    eval.explain = jsonl;                                                   // a summary reads no text
    eval.validate = false;                                                  // the fast reader validated
    detail::FastReader reader(detail::program(pack), {});
    REQUIRE(reader.validates());
    detail::Evaluator evaluator(detail::program(pack), eval);
    Summary summary(pack, "2025-12-31");
    std::string out;
    out.reserve(1u << 20);  // a chunk's text: its growth is per chunk, not per record
    Decision d;             // written over record after record, as batch does
    detail::JsonLineMemo memo;  // what the lines repeat, as batch keeps it per worker
    std::size_t read = 0, evaluate = 0, write = 0, decided = 0;
    for (long i = 0; i < warm + measured; ++i) {
      std::optional<Document> doc;
      std::string id;
      std::size_t r = allocations_in([&] { doc = reader.read(texts[std::size_t(i)], source); });
      REQUIRE(doc);
      std::size_t e = allocations_in([&] {
        if (const Value* v = doc->root().as_object().find("id")) id = v->as_string();
        evaluator.run(*doc, d);
      });
      std::size_t w = allocations_in([&] {
        summary.add(d);
        if (jsonl) detail::append_json_line(out, d, std::size_t(i + 1), id, {}, memo);
      });
      r += allocations_in([&] { reader.recycle(std::move(*doc)); });  // as batch gives it back, once decided
      if (out.size() > (1u << 19)) out.clear();
      if (i < warm) continue;
      read += r, evaluate += e, write += w;
      decided += d.outcome != Outcome::error;
    }
    CHECK(decided == measured);  // the pack decides every record: no error path measured
    const double n = double(measured);
    MESSAGE(std::string(jsonl ? "JSON Lines" : "--summary"), ": allocations per record: read ", double(read) / n,
            ", evaluate ", double(evaluate) / n, ", write ", double(write) / n);
    CHECK(double(read) / n <= max_read);
    CHECK(double(evaluate) / n <= (jsonl ? max_evaluate_jsonl : max_evaluate_summary));
    CHECK(double(write) / n <= (jsonl ? max_write_jsonl : max_write_summary));
  }
}

// The phases above, measured within run_batch, as the command runs them: the difference between
// a run on 8,192 records and one on 4,096, per record, so that what a run costs once (the
// workers, the first chunks, filling the reader's caches) cancels out.
TEST_CASE("allocations per record in steady state, a whole batch run with its input file") {
  constexpr long half = 4096;
  auto loaded = load_pack(test::source_dir() / "bench" / "pack");
  REQUIRE(loaded.pack);
  test::TempDir dir;
  bench::Corpus corpus;
  std::string text, line;
  for (long i = 0; i < 2 * half; ++i) {
    corpus.record(i + 1, line);
    text += line;
    if (i + 1 == half) dir.write("half.jsonl", text);
  }
  dir.write("whole.jsonl", text);
  struct Discard : std::streambuf {  // the output, written nowhere and allocating nothing
    int overflow(int c) override { return c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
  } discard;
  std::ostream out(&discard);
  for (bool jsonl : {false, true}) {
    CAPTURE(jsonl);
    BatchOptions options;
    options.eval.as_of = *Date::parse("2025-12-31");
    options.jobs = 1;
    options.format = jsonl ? BatchFormat::jsonl : BatchFormat::none;
    auto run = [&](const char* name) {
      OpenedInput in = open_input({(dir.path / name).string()});
      REQUIRE(in.source);
      return allocations_in([&] { run_batch(*loaded.pack, *in.source, options, &out); });
    };
    const double per_record = (double(run("whole.jsonl")) - double(run("half.jsonl"))) / half;
    MESSAGE(std::string(jsonl ? "JSON Lines" : "--summary"), ": allocations per record, whole run: ", per_record);
    CHECK(per_record <= (jsonl ? max_batch_jsonl : max_batch_summary));
  }
}
