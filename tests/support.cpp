#include "support.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>

namespace rulebook::test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path = std::filesystem::temp_directory_path() /
         ("rulebook-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(path);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

void TempDir::write(const std::string& name, std::string_view text) const {
  std::ofstream(path / name, std::ios::binary) << text;
}

std::string nested_aliases(int levels, const std::string& key) {
  std::string text = key + "0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < levels; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += key + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 1; k < 9; ++k) text += ", " + prev;
    text += "]\n";
  }
  return text;
}

LoadResult load_pack_text(const TempDir& dir, std::string_view extra, std::string_view rules) {
  dir.write("source.txt", "测试条款全文。");
  dir.write("pack.yaml", std::string("id: test\nversion: 0.0.1\ntitle: {zh: 测试, en: test}\n"
                                     "source: {document: 测试文件, text: source.txt}\n"
                                     "effective: {from: 2020-01-01, to: 2030-12-31}\n") +
                             std::string(extra));
  dir.write("rules.yaml", rules);
  return load_pack(dir.path);
}

std::string eval_str(std::string_view expr, std::string_view json, std::string_view params) {
  TempDir dir;
  std::string rules =
      "rules:\n  - id: T-1\n    title: {zh: 测试, en: test}\n    clause: 一\n    quote: 测试条款\n"
      "    outputs:\n      value: |-\n        " +
      std::string(expr) + "\n";
  auto loaded = load_pack_text(dir, params, rules);
  if (!loaded.pack) return "error: " + (loaded.errors.empty() ? std::string("?") : loaded.errors[0].message);
  auto doc = Document::parse(json, "doc.json");
  if (!doc.document) return "error: " + doc.errors[0].message;
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *Date::parse("2025-06-30")});
  const RuleDecision& r = d.rules.at(0);
  if (r.error) return "error: " + r.error->message;
  return r.outputs.at(0).second.to_display();
}

void check_cases(std::initializer_list<ExprCase> cases, std::string_view json) {
  for (const auto& c : cases) {
    CAPTURE(c.expr);
    CHECK(eval_str(c.expr, json) == c.want);
  }
}

std::filesystem::path source_dir() { return RULEBOOK_SOURCE_DIR; }

}  // namespace rulebook::test
