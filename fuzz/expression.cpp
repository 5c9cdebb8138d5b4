// Fuzzes the expression language end to end: parse, check, compile and evaluate one
// expression as a rule's output against a small fixed document.

#include <cstdint>
#include <string>

#include "amplify.hpp"
#include "compile/compiler.hpp"
#include "compile/pack_access.hpp"
#include "pack/pack.hpp"
#include "rulebook/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const Document doc = *Document::parse(
                                   R"({"n": 12.5, "s": "专利", "d": "2024-02-29", "b": true, "xs": [1, 2, null],
                                       "o": {"k": [{"a": 1}, {"a": "x"}]}})")
                                   .document;
  std::string text = fuzz::amplify({reinterpret_cast<const char*>(data), size});
  pack::Pack p;
  p.info.id = "fuzz";
  p.info.effective_from = *Date::parse("2000-01-01");
  p.info.effective_to = *Date::parse("2100-01-01");
  // The file holds the expression after a space, as a plain YAML scalar would stand: text that
  // starts with a quote would otherwise be taken for a quoted scalar, misaligned by one byte, and
  // the source map's search for each character made quadratic (a 10 s timeout on 560 KB).
  auto file = std::make_shared<const expr::SourceFile>("fuzz.yaml", " " + text);
  pack::Rule rule;
  rule.id = "F";
  rule.outputs.push_back({"x", {text, expr::SourceMap(file, 0, text)}, {}, {}, {}});
  p.rules.push_back(std::move(rule));
  std::vector<Error> errors, warnings;
  auto program = detail::compile(p, {}, errors, warnings);
  if (program) {
    CompiledPack compiled = PackAccess::make(program);
    Decision d = compiled.evaluate(doc, {.as_of = *Date::parse("2025-01-01"), .max_steps = 100000});
    (void)to_json(d);
    (void)to_text(d);
  }
  for (const auto& e : errors) (void)e.to_string();
  return 0;
}
