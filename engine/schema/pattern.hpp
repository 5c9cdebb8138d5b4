#pragma once
// A JSON Schema `pattern`: an ECMA-262 regular expression, as JSON Schema says, matched over
// characters rather than bytes (`^.{2,4}$` takes 张三, `[\u4e00-\u9fa5]` means Chinese
// characters) and in time linear in the text whatever the pattern (RE2: a pack's `^(a+)+$`
// cannot be made to run for ever by the text an applicant types).

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace re2 {
class RE2;
}

namespace rulebook::schema {

/// Why a pattern is refused, in English and Chinese.
struct PatternRefusal {
  std::string why, why_zh;
};

/// `ecma` written in RE2's syntax with ECMA-262's meaning, or why it cannot be: a construct that
/// needs backtracking (lookaround, back-references), which RE2 does not have.
std::variant<std::string, PatternRefusal> to_re2(std::string_view ecma);

class Pattern {
 public:
  /// The compiled pattern, or why it is refused (the above, or a syntax error).
  static std::variant<Pattern, PatternRefusal> compile(std::string_view ecma);
  /// Whether it matches somewhere in `text` (UTF-8), as ECMA-262's RegExp.prototype.test.
  bool search(std::string_view text) const;
  /// Whether matching `text` is bounded: RE2 matches in time linear in the text, but times the
  /// pattern's size when its automaton outgrows its memory ({200} of an alternative: 2 MB took
  /// 2 s). A text past the bound is refused, said so, rather than matched.
  bool within_bound(std::string_view text) const { return text.size() * size_ <= max_work; }
  static constexpr std::size_t max_work = 100'000'000;  ///< bytes × program steps
  static constexpr std::size_t max_size = 10'000;       ///< program steps; `.{999}#` is 21,000

  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

 private:
  explicit Pattern(std::unique_ptr<const re2::RE2> re);
  std::unique_ptr<const re2::RE2> re_;
  std::size_t size_;
};

}  // namespace rulebook::schema
