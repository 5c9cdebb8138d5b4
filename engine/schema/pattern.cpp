#include "schema/pattern.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

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

// ECMA-262's \s as code point ranges, to take characters out of it ([^\S\r\n]).
constexpr std::pair<std::uint32_t, std::uint32_t> space_ranges[] = {
    {0x09, 0x0D},     {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
    {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};

// A Unicode property as ECMA-262 writes it (\p{Script=Han}, \p{L}, \p{Letter}) in RE2's words.
std::optional<std::string> property(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> categories[] = {{"Letter", "L"},
                                                                             {"Uppercase_Letter", "Lu"},
                                                                             {"Lowercase_Letter", "Ll"},
                                                                             {"Titlecase_Letter", "Lt"},
                                                                             {"Modifier_Letter", "Lm"},
                                                                             {"Other_Letter", "Lo"},
                                                                             {"Mark", "M"},
                                                                             {"Nonspacing_Mark", "Mn"},
                                                                             {"Spacing_Mark", "Mc"},
                                                                             {"Enclosing_Mark", "Me"},
                                                                             {"Number", "N"},
                                                                             {"Decimal_Number", "Nd"},
                                                                             {"Letter_Number", "Nl"},
                                                                             {"Other_Number", "No"},
                                                                             {"Punctuation", "P"},
                                                                             {"Connector_Punctuation", "Pc"},
                                                                             {"Dash_Punctuation", "Pd"},
                                                                             {"Open_Punctuation", "Ps"},
                                                                             {"Close_Punctuation", "Pe"},
                                                                             {"Initial_Punctuation", "Pi"},
                                                                             {"Final_Punctuation", "Pf"},
                                                                             {"Other_Punctuation", "Po"},
                                                                             {"Symbol", "S"},
                                                                             {"Math_Symbol", "Sm"},
                                                                             {"Currency_Symbol", "Sc"},
                                                                             {"Modifier_Symbol", "Sk"},
                                                                             {"Other_Symbol", "So"},
                                                                             {"Separator", "Z"},
                                                                             {"Space_Separator", "Zs"},
                                                                             {"Line_Separator", "Zl"},
                                                                             {"Paragraph_Separator", "Zp"},
                                                                             {"Other", "C"},
                                                                             {"Control", "Cc"},
                                                                             {"Format", "Cf"},
                                                                             {"Private_Use", "Co"}};
  static const std::pair<std::string_view, std::string_view> scripts[] = {
      {"Hani", "Han"},      {"Latn", "Latin"},    {"Grek", "Greek"},  {"Cyrl", "Cyrillic"}, {"Arab", "Arabic"},
      {"Hira", "Hiragana"}, {"Kana", "Katakana"}, {"Hang", "Hangul"}, {"Tibt", "Tibetan"},  {"Mong", "Mongolian"}};
  // RE2 reads \p{L} and \p{Han} alike: a category's short name, of one or two letters, is no script.
  auto brief_category = [](std::string_view n) {
    return !n.empty() && n.size() <= 2 && std::string_view("LMNPSZC").find(n[0]) != std::string_view::npos;
  };
  for (std::string_view key : {"Script=", "sc="})
    if (name.starts_with(key)) {
      name.remove_prefix(key.size());
      for (auto [alias, full] : scripts)
        if (name == alias) return std::string(full);
      return brief_category(name) ? std::nullopt : std::optional<std::string>(name);
    }
  for (std::string_view key : {"General_Category=", "gc="})
    if (name.starts_with(key)) name.remove_prefix(key.size());
  for (auto [full, brief] : categories)
    if (name == full) return std::string(brief);
  return brief_category(name) ? std::optional<std::string>(name) : std::nullopt;
}

// What one escape (p[i] == '\\') stands for: a character, or a class written for RE2 (`text`),
// or \S (`not_space`, which a class cannot hold as RE2 reads it).
struct Atom {
  std::optional<std::uint32_t> character;
  std::string text;
  bool not_space = false;
};

class Translator {
 public:
  explicit Translator(std::string_view p) : p_(p) {}

  std::variant<std::string, PatternRefusal> run() {
    std::string out;
    while (i_ < p_.size() && !error_) {
      char c = p_[i_];
      if (c == '\\') {
        Atom a = escape(false);
        out += a.character ? code_point(*a.character) : a.text;
      } else if (c == '[') {
        out += bracket();
      } else if (c == '.') {
        out += "[^" + std::string(line_ends) + "]";
        ++i_;
      } else if (c == '(' && at(i_ + 1) == '?') {
        char k = at(i_ + 2);
        if (k == '=' || k == '!' || (k == '<' && (at(i_ + 3) == '=' || at(i_ + 3) == '!')))
          fail(
              "lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: patterns are matched "
              "without backtracking",
              "不支持先行与后行断言（(?=…)、(?!…)、(?<=…)、(?<!…)）：格式规则不回溯匹配");
        else if (k == '<')  // a named group
          out += "(?P<", i_ += 3;
        else if (k == ':')
          out += "(?:", i_ += 3;
        else
          fail("(?" + std::string(1, k) + " is not ECMA-262 syntax", "(?" + std::string(1, k) + " 不是 ECMA-262 语法");
      } else {
        out += c;
        ++i_;
      }
    }
    if (error_) return *error_;
    return out;
  }

 private:
  char at(std::size_t k) const { return k < p_.size() ? p_[k] : '\0'; }
  void fail(std::string why, std::string why_zh) {
    if (!error_) error_ = refusal(std::move(why), std::move(why_zh));
    i_ = p_.size();
  }

  // \uXXXX (a surrogate pair of them is one character) or \u{X…}, from p[i] = '\\'.
  std::optional<std::uint32_t> unicode_escape() {
    if (at(i_ + 2) == '{') {
      auto close = p_.find('}', i_ + 3);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view digits = p_.substr(i_ + 3, close - i_ - 3);
      while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);  // \u{0000041} is A
      auto v = hex(digits);
      i_ = close + 1;
      return v && *v <= 0x10FFFF && (*v < 0xD800 || *v > 0xDFFF) ? v : std::nullopt;
    }
    auto v = hex(p_.substr(i_ + 2, 4));
    if (!v || p_.substr(i_ + 2, 4).size() != 4) return std::nullopt;
    i_ += 6;
    if (*v >= 0xDC00 && *v <= 0xDFFF) return std::nullopt;
    if (*v >= 0xD800 && *v <= 0xDBFF) {
      auto low = at(i_) == '\\' && at(i_ + 1) == 'u' ? hex(p_.substr(i_ + 2, 4)) : std::nullopt;
      if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
      i_ += 6;
      return 0x10000 + ((*v - 0xD800) << 10) + (*low - 0xDC00);
    }
    return v;
  }

  // The escape at p[i] (ECMA-262 with the u flag: an unknown one is an error, not the letter).
  Atom escape(bool in_class) {
    char d = at(i_ + 1);
    Atom a;
    auto simple = [&](std::uint32_t c) {
      a.character = c;
      i_ += 2;
      return a;
    };
    switch (d) {
      case '\0': fail("it ends in a lone backslash", "以单独的反斜杠结尾"); return a;
      case 'u':
        if (auto v = unicode_escape()) {
          a.character = v;
          return a;
        }
        fail("\\u must be followed by 4 hex digits of a character", "\\u 后应为表示字符的 4 位十六进制数");
        return a;
      case 'x':
        if (auto v = hex(p_.substr(i_ + 2, 2)); v && p_.substr(i_ + 2, 2).size() == 2) {
          a.character = v;
          i_ += 4;
          return a;
        }
        fail("\\x must be followed by 2 hex digits", "\\x 后应为 2 位十六进制数");
        return a;
      case 'c':
        if ((at(i_ + 2) | 0x20) >= 'a' && (at(i_ + 2) | 0x20) <= 'z') {
          a.character = std::uint32_t(at(i_ + 2) % 32);
          i_ += 3;
          return a;
        }
        fail("\\c must be followed by a letter", "\\c 后应为字母");
        return a;
      case 'f': return simple('\f');
      case 'n': return simple('\n');
      case 'r': return simple('\r');
      case 't': return simple('\t');
      case 'v': return simple('\v');
      case '0':
        if (at(i_ + 2) < '0' || at(i_ + 2) > '9') return simple(0);
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
      case 'k':
        fail("back-references (\\1, \\k<name>) are not supported: patterns are matched without backtracking",
             "不支持反向引用（\\1、\\k<名称>）：格式规则不回溯匹配");
        return a;
      case 'd':
      case 'D':
      case 'w':
      case 'W':  // ASCII in both
        a.text = std::string("\\") + d;
        i_ += 2;
        return a;
      case 's':
        a.text = in_class ? std::string(space_items) : "[" + std::string(space_items) + "]";
        i_ += 2;
        return a;
      case 'S':
        a.not_space = in_class;
        a.text = in_class ? "" : "[^" + std::string(space_items) + "]";
        i_ += 2;
        return a;
      case 'b':
        if (in_class) return simple('\b');  // in brackets, \b is the backspace character
        [[fallthrough]];
      case 'B':
        if (in_class) break;
        a.text = std::string("\\") + d;
        i_ += 2;
        return a;
      case 'p':
      case 'P': {
        auto close = p_.find('}', i_ + 2);
        auto name = at(i_ + 2) == '{' && close != std::string_view::npos ? property(p_.substr(i_ + 3, close - i_ - 3))
                                                                         : std::nullopt;
        if (!name) {
          fail("\\p must name a general category (\\p{L}, \\p{Letter}) or a script (\\p{Script=Han})",
               "\\p 后应为通用类别（\\p{L}、\\p{Letter}）或文字（\\p{Script=Han}）");
          return a;
        }
        a.text = std::string("\\") + d + "{" + *name + "}";
        i_ = close + 1;
        return a;
      }
      default:
        if (std::string_view("^$\\.*+?()[]{}|/").find(d) != std::string_view::npos || (in_class && d == '-'))
          return simple(std::uint32_t(static_cast<unsigned char>(d)));
    }
    fail("\\" + std::string(1, d) + " is not an escape ECMA-262 knows",
         "\\" + std::string(1, d) + " 不是 ECMA-262 的转义");
    return a;
  }

  // A literal character at p[i] (UTF-8), advancing past it.
  std::uint32_t literal() {
    auto b = static_cast<unsigned char>(p_[i_++]);
    if (b < 0x80) return b;
    int more = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
    std::uint32_t c = b & (0x3F >> more);
    for (int k = 0; k < more && i_ < p_.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(p_[i_++]) & 0x3F);
    return c;
  }

  // A bracket expression at p[i]. Its items are written as code points (RE2 would read `[:` or
  // `[` in brackets as its own syntax); \S, which RE2's brackets cannot hold with ECMA-262's \s,
  // becomes an alternative, or in negated brackets the spaces left when the others are taken out.
  std::string bracket() {
    bool negated = at(i_ + 1) == '^';
    i_ += 1 + negated;
    std::string items;
    std::vector<std::uint32_t> characters;  // the items that are one character
    bool not_space = false, only_characters = true;
    while (!error_ && at(i_) != ']') {
      if (i_ >= p_.size()) {
        fail("a [ is not closed", "方括号未闭合");
        break;
      }
      Atom a;
      if (p_[i_] == '\\')
        a = escape(true);
      else
        a.character = literal();
      if (a.character && at(i_) == '-' && at(i_ + 1) != ']' && i_ + 1 < p_.size()) {  // a range
        ++i_;
        Atom to;
        if (p_[i_] == '\\')
          to = escape(true);
        else
          to.character = literal();
        if (!to.character || *to.character < *a.character) {
          fail("a range in brackets must go from a character up to one",
               "方括号中的范围应由一个字符到另一个不小于它的字符");
          break;
        }
        items += code_point(*a.character) + "-" + code_point(*to.character);
        only_characters = false;
        continue;
      }
      not_space = not_space || a.not_space;
      if (a.character) {
        items += code_point(*a.character);
        characters.push_back(*a.character);
      } else if (!a.not_space) {
        items += a.text;
        only_characters = false;
      }
    }
    ++i_;  // the ]
    constexpr std::string_view all = "\\x{0}-\\x{10FFFF}";
    if (!not_space) {
      if (items.empty()) return negated ? "[" + std::string(all) + "]" : "[^" + std::string(all) + "]";
      return (negated ? "[^" : "[") + items + "]";
    }
    if (!negated) return "(?:[^" + std::string(space_items) + "]" + (items.empty() ? "" : "|[" + items + "]") + ")";
    if (!only_characters) {
      fail("\\S with ranges or classes in negated brackets is not supported",
           "不支持在取反的方括号中把 \\S 与范围或字符类并用");
      return {};
    }
    std::string spaces;  // [^\S x y]: the spaces but x and y
    for (auto [from, to] : space_ranges)
      for (std::uint32_t c = from; c <= to; ++c)
        if (std::find(characters.begin(), characters.end(), c) == characters.end()) spaces += code_point(c);
    return spaces.empty() ? "[^" + std::string(all) + "]" : "[" + spaces + "]";
  }

  std::string_view p_;
  std::size_t i_ = 0;
  std::optional<PatternRefusal> error_;
};

}  // namespace

std::variant<std::string, PatternRefusal> to_re2(std::string_view p) { return Translator(p).run(); }

Pattern::Pattern(std::unique_ptr<const re2::RE2> re) : re_(std::move(re)), size_(std::size_t(re_->ProgramSize())) {}
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
  if (std::size_t(re->ProgramSize()) > max_size)
    return refusal("too large to match in bounded time (" + std::to_string(re->ProgramSize()) + " steps, at most " +
                       std::to_string(max_size) + "): a long counted repetition, {999}, makes it so",
                   "过大，无法在有限时间内匹配（" + std::to_string(re->ProgramSize()) + " 步，至多 " +
                       std::to_string(max_size) + " 步）：通常由 {999} 这样的长计数重复造成");
  return Pattern(std::move(re));
}

bool Pattern::search(std::string_view text) const { return RE2::PartialMatch(text, *re_); }

}  // namespace rulebook::schema
