#pragma once
// One error type for everything a user can get wrong: where it is and what was expected.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rulebook {

/// A place in a source file; line and col are 1-based, col counts characters (not bytes).
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;
  bool known() const { return line > 0; }
  /// "file:line:col", or just "file" when the line is not known.
  std::string to_string() const;
};

/// What went wrong. Either `loc` (rule files) or `json_path` (input documents) says where.
struct Error {
  enum class Code {
    io,      ///< a file cannot be read
    yaml,    ///< YAML syntax or pack structure
    syntax,  ///< expression syntax
    name,    ///< unknown name or function, wrong arity
    type,    ///< a type error seen at load time
    json,    ///< malformed input JSON
    input,   ///< input JSON that is well-formed but unusable
    limit,   ///< a configured limit was exceeded
    eval,    ///< an error while evaluating a rule
    schema,  ///< a subject schema that is no JSON, or that rulebook cannot check as written
  };
  Code code = Code::input;
  std::string message;  ///< English: logs, tests, integrators and the CLI in English read this one
  SourceLoc loc;
  std::string json_path;    ///< "$.transactions[0].contract.amount"
  std::string source_line;  ///< the offending line, for a caret under `loc.col`
  std::string check = {};   ///< for a drafting warning, the lint check that names it ("param-without-clause")
  /// The same message in Chinese, written beside the English one where the error is raised, for
  /// the review desk (empty: not translated, the English one is shown).
  std::string message_zh = {};

  /// The message in `lang` ("zh" or "en"): Chinese when asked and written, else English.
  const std::string& message_in(std::string_view lang) const {
    return lang == "zh" && !message_zh.empty() ? message_zh : message;
  }
  /// Sets both wordings at once, so a raising site writes each message once in both languages.
  Error& say(std::string en, std::string zh) {
    message = std::move(en);
    message_zh = std::move(zh);
    return *this;
  }

  /// "file:line:col: error: message", then the source line and a caret when known; in English
  /// (a reviewer reads to_text(Error, ReportOptions) of rulebook/report.hpp, in their language).
  std::string to_string(const char* severity = "error") const;
};

}  // namespace rulebook
