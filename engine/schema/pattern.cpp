#include "schema/pattern.hpp"

#include <re2/re2.h>

#include <cstdint>
#include <optional>

namespace rulebook::schema {
namespace {

// ECMA-262's white space and line terminators (\s), and its line terminators (what `.` does not
// match), as the items of an RE2 character class. RE2's own \s is ASCII only: U+3000, the
// ideographic space of Chinese text, would not be a space.
constexpr std::string_view space_items =
    "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
constexpr std::string_view line_ends = "\\n\\r\\x{2028}\\x{2029}";

std::optional<std::uint32_t> hex(std::string_view digits) {
  if (digits.empty() || digits.size() > 6) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : digits) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + std::uint32_t(d);
  }
  return v;
}

std::string code_point(std::uint32_t c) {
  static const char digits[] = "0123456789ABCDEF";
  std::string h;
  do h.insert(h.begin(), digits[c % 16]);
  while (c /= 16);
  return "\\x{" + h + "}";
}

PatternRefusal refusal(std::string why, std::string why_zh) { return {std::move(why), std::move(why_zh)}; }

}  // namespace

std::variant<std::string, PatternRefusal> to_re2(std::string_view p) {
  std::string out;
  bool in_class = false;
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return k < p.size() ? p[k] : '\0'; };
  // \uXXXX (a surrogate pair of them is one character) or \u{X…}, from p[i] = '\\'; advances i.
  auto unicode_escape = [&]() -> std::optional<std::uint32_t> {
    if (at(i + 2) == '{') {
      auto close = p.find('}', i + 3);
      if (close == std::string_view::npos) return std::nullopt;
      auto v = hex(p.substr(i + 3, close - i - 3));
      i = close + 1;
      return v && *v <= 0x10FFFF && (*v < 0xD800 || *v > 0xDFFF) ? v : std::nullopt;
    }
    auto v = hex(p.substr(i + 2, 4));
    if (!v || p.substr(i + 2, 4).size() != 4) return std::nullopt;
    i += 6;
    if (*v >= 0xDC00 && *v <= 0xDFFF) return std::nullopt;
    if (*v >= 0xD800 && *v <= 0xDBFF) {
      auto low = at(i) == '\\' && at(i + 1) == 'u' ? hex(p.substr(i + 2, 4)) : std::nullopt;
      if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
      i += 6;
      return 0x10000 + ((*v - 0xD800) << 10) + (*low - 0xDC00);
    }
    return v;
  };
  while (i < p.size()) {
    char c = p[i];
    if (c == '\\') {
      char d = at(i + 1);
      switch (d) {
        case '\0': return refusal("it ends in a lone backslash", "以单独的反斜杠结尾");
        case 'u': {
          auto v = unicode_escape();
          if (!v)
            return refusal("\\u must be followed by 4 hex digits of a character",
                           "\\u 后应为表示字符的 4 位十六进制数");
          out += code_point(*v);
          continue;
        }
        case 'x':
          if (auto v = hex(p.substr(i + 2, 2)); v && p.substr(i + 2, 2).size() == 2) {
            out += code_point(*v);
            i += 4;
          } else {
            out += 'x';  // ECMA-262 Annex B: \x not followed by two hex digits is the letter x
            i += 2;
          }
          continue;
        case 'c':
          if ((at(i + 2) | 0x20) >= 'a' && (at(i + 2) | 0x20) <= 'z') {
            out += code_point(std::uint32_t(at(i + 2) % 32));
            i += 3;
            continue;
          }
          return refusal("\\c must be followed by a letter", "\\c 后应为字母");
        case 'k':
          return refusal("back-references (\\k<name>) are not supported: patterns are matched without backtracking",
                         "不支持反向引用（\\k<名称>）：格式规则不回溯匹配");
        case 's':
        case 'S':
          if (in_class && d == 'S') return refusal("\\S inside brackets is not supported", "不支持方括号内的 \\S");
          out += in_class ? std::string(space_items) : (d == 's' ? "[" : "[^") + std::string(space_items) + "]";
          i += 2;
          continue;
        case 'v':
          out += "\\x{0B}";
          i += 2;
          continue;
        case 'b':
          out += in_class ? "\\x{08}" : "\\b";  // in brackets, \b is the backspace character
          i += 2;
          continue;
        case 'p':
        case 'P': {  // \p{Script=Han} is RE2's \p{Han}
          auto close = p.find('}', i + 2);
          if (at(i + 2) != '{' || close == std::string_view::npos)
            return refusal("\\p must be followed by {a Unicode property}", "\\p 后应为 {Unicode 属性}");
          std::string_view name = p.substr(i + 3, close - i - 3);
          for (std::string_view key : {"Script=", "sc=", "Script_Extensions=", "scx=", "General_Category=", "gc="})
            if (name.substr(0, key.size()) == key) name.remove_prefix(key.size());
          out += std::string("\\") + d + "{" + std::string(name) + "}";
          i = close + 1;
          continue;
        }
        case '0':
          if (at(i + 2) < '0' || at(i + 2) > '9') {
            out += "\\x{0}";
            i += 2;
            continue;
          }
          [[fallthrough]];
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
          return refusal("back-references (\\1) are not supported: patterns are matched without backtracking",
                         "不支持反向引用（\\1）：格式规则不回溯匹配");
        default:
          if (static_cast<unsigned char>(d) >= 0x80) {  // an escaped character that is not ASCII: itself
            i += 1;
            continue;
          }
          out += c;
          out += d;
          i += 2;
          continue;
      }
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c == '[' ? "\\[" : std::string(1, c);  // RE2 reads [:alpha:] in brackets; ECMA-262 does not
      ++i;
      continue;
    }
    switch (c) {
      case '[': {
        bool negated = at(i + 1) == '^';
        if (at(i + 1 + negated) == ']') {  // [] matches nothing, [^] any character
          out += negated ? "[\\x{0}-\\x{10FFFF}]" : "[^\\x{0}-\\x{10FFFF}]";
          i += 2 + negated;
          continue;
        }
        in_class = true;
        out += negated ? "[^" : "[";
        i += 1 + negated;
        continue;
      }
      case '.':
        out += "[^" + std::string(line_ends) + "]";
        ++i;
        continue;
      case '(':
        if (at(i + 1) == '?') {
          char k = at(i + 2);
          if (k == '=' || k == '!' || (k == '<' && (at(i + 3) == '=' || at(i + 3) == '!')))
            return refusal(
                "lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: patterns are "
                "matched without backtracking",
                "不支持先行与后行断言（(?=…)、(?!…)、(?<=…)、(?<!…)）：格式规则不回溯匹配");
          if (k == '<') {  // a named group
            out += "(?P<";
            i += 3;
            continue;
          }
          if (k != ':')
            return refusal("(?" + std::string(1, k) + " is not ECMA-262 syntax",
                           "(?" + std::string(1, k) + " 不是 ECMA-262 语法");
        }
        break;
      default: break;
    }
    out += c;
    ++i;
  }
  return out;
}

Pattern::Pattern(std::unique_ptr<const re2::RE2> re) : re_(std::move(re)) {}
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

std::variant<Pattern, PatternRefusal> Pattern::compile(std::string_view ecma) {
  auto translated = to_re2(ecma);
  if (auto* r = std::get_if<PatternRefusal>(&translated)) return std::move(*r);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_never_capture(true);  // only whether it matches is asked
  auto re = std::make_unique<const RE2>(std::get<std::string>(translated), options);
  if (!re->ok()) return refusal(re->error(), "语法错误（" + re->error() + "）");
  return Pattern(std::move(re));
}

bool Pattern::search(std::string_view text) const { return RE2::PartialMatch(text, *re_); }

}  // namespace rulebook::schema
