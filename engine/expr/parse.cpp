#include "expr/parse.hpp"

#include "expr/config.hpp"
#include "expr/grammar.hpp"

namespace rulebook::expr {
namespace {

// X3 names literals like "')'" and the end as "eoi"; turn them into words for drafters.
std::string describe(std::string which) {
  if (which == "eoi") return "an operator or the end of the expression";
  if (which.size() >= 2 && which.front() == '\'' && which.back() == '\'') return which;
  if (which.size() >= 2 && which.front() == '"' && which.back() == '"')
    return "'" + which.substr(1, which.size() - 2) + "'";
  return which;
}

// The same words in Chinese: the grammar's rule names (grammar_def.hpp) a drafter meets most.
std::string describe_zh(const std::string& which) {
  static const std::pair<const char*, const char*> words[] = {
      {"eoi", "运算符或表达式结尾"},
      {"an expression", "表达式"},
      {"an if-then-else", "if-then-else 表达式"},
      {"an expression after 'not'", "「not」之后的表达式"},
      {"an operand", "操作数"},
      {"an operand after '-'", "「-」之后的操作数"},
      {"an operand (a number, date, string, name, call or '(')", "操作数（数字、日期、文本、名称、函数调用或「(」）"},
      {"a number", "数字"},
      {"a string", "文本"},
      {"true, false or null", "true、false 或 null"},
      {"a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"},
      {"a name", "名称"},
      {"a function call", "函数调用"},
      {"an argument", "参数"},
      {"a lambda (x -> …)", "匿名函数（x -> …）"},
      {"a list", "列表"},
      {"a field name", "字段名"},
      {"an index", "下标"},
      {"a comparison", "比较运算"}};
  for (const auto& [en, zh] : words)
    if (which == en) return zh;
  std::string shown = describe(which);  // a literal such as ')' or 'then'
  return "「" + (shown.size() >= 2 && shown.front() == '\'' ? shown.substr(1, shown.size() - 2) : shown) + "」";
}

// The grammar recurses once per bracket or prefix operator: bound that before parsing,
// so that no expression, however nested, can exhaust the stack.
std::optional<SyntaxError> check_limits(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_length)
    return SyntaxError{limits.max_length, "expression longer than " + std::to_string(limits.max_length) + " bytes",
                       "表达式超过 " + std::to_string(limits.max_length) + " 字节"};
  std::size_t depth = 0, prefix = 0;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"' || c == '\'')
      quote = c;
    else if (c == '(' || c == '[')
      ++depth;
    else if ((c == ')' || c == ']') && depth > 0)
      --depth;
    else if (c == '-' || text.substr(i, 3) == "not" || text.substr(i, 2) == "if")
      ++prefix;
    if (depth > limits.max_depth || prefix > limits.max_depth * 8)
      return SyntaxError{i, "expression nested deeper than " + std::to_string(limits.max_depth) + " levels",
                         "表达式嵌套超过 " + std::to_string(limits.max_depth) + " 层"};
  }
  return std::nullopt;
}

}  // namespace

Span ParseResult::span_of(const x3::position_tagged& node) const {
  if (node.id_first < 0 || std::size_t(node.id_last) >= positions.size()) return {};
  return {positions[std::size_t(node.id_first)], positions[std::size_t(node.id_last)]};
}

ParseResult parse(std::string_view text, const Limits& limits) {
  ParseResult result;
  if ((result.error = check_limits(text, limits))) return result;
  iterator_type first = text.data(), last = text.data() + text.size();
  ErrorHandler handler(first, last);
  auto const parser = x3::with<x3::error_handler_tag>(std::ref(handler))[expression()];
  iterator_type it = first;
  bool ok = false;
  try {
    ok = x3::phrase_parse(it, last, parser, skipper, result.tree);
  } catch (const x3::expectation_failure<iterator_type>& e) {
    handler.fail(e.where(), e.which());
  }
  if (!ok || it != last) {
    if (!handler.failed()) handler.fail(it, ok ? "eoi" : "an expression");
    // X3 reports the position before skipping white space; point at the next character.
    std::size_t at = handler.offset();
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) ++at;
    if (text.substr(at, 3) == "\u3000") at += 3;
    result.error =
        SyntaxError{at, "expected " + describe(handler.expected()), "此处应为" + describe_zh(handler.expected())};
  }
  result.positions = handler.offsets();
  return result;
}

}  // namespace rulebook::expr
