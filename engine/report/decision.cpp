// Words and orderings shared by every rendering of a decision, and Error's rendering (for
// people too, in their language).

#include "rulebook/decision.hpp"

#include <algorithm>

#include "report/present.hpp"
#include "rulebook/report.hpp"
#include "value/utf8.hpp"

namespace rulebook {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::needs_info: return "needs_info";
    case Outcome::not_applicable: return "not_applicable";
    case Outcome::error: return "error";
  }
  return "?";
}

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
  }
  return "?";
}

const std::string& Text::get(std::string_view lang) const {
  if (lang == "en") return en.empty() ? zh : en;
  return zh.empty() ? en : zh;
}

Outcome outcome_of(const std::vector<RuleDecision>& rules) {
  // Rank by how much a reviewer must act on it.
  auto rank = [](Outcome o) {
    switch (o) {
      case Outcome::not_applicable: return 0;
      case Outcome::pass: return 1;
      case Outcome::needs_info: return 2;
      case Outcome::fail: return 3;
      case Outcome::error: return 4;
    }
    return 0;
  };
  Outcome worst = Outcome::not_applicable;
  for (const auto& r : rules) {
    Outcome o = r.outcome;
    if (o == Outcome::fail && r.severity != Severity::error)
      o = Outcome::pass;  // a warning informs, it does not refuse
    if (rank(o) > rank(worst)) worst = o;
  }
  return worst;
}

std::string SourceLoc::to_string() const {
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

namespace {

// The source line under an error and a caret under `loc.col`, or nothing when there is no line.
std::string source_excerpt(const Error& e) {
  if (e.source_line.empty() || e.loc.col <= 0) return {};
  // A long line (a whole JSON document on one) is shown as the stretch around the column.
  constexpr int width = 120;
  std::string_view line = e.source_line;
  if (line.ends_with('\r')) line.remove_suffix(1);  // a CRLF file's line end, not part of the line
  int skipped = 0;                                  // characters cut from the front
  bool cut_end = false;
  if (utf8_length(line) > std::size_t(width)) {
    auto byte_of = [&](int chars) {  // where the chars-th character starts
      std::size_t i = 0;
      for (int n = 0; i < line.size(); ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80 && n++ == chars) break;
      return i;
    };
    skipped = std::max(0, e.loc.col - 1 - width / 2);
    std::size_t begin = byte_of(skipped), end = byte_of(skipped + width);
    cut_end = end < line.size();
    line = line.substr(begin, end - begin);
  }
  // The line as printable UTF-8 (a program reads the message as UTF-8, a terminal obeys control
  // characters): a malformed byte is shown as \ufffd, a control character escaped (printable).
  // The caret goes under the col-th character; wide (CJK) characters take two columns.
  std::string shown, caret;
  int chars = 0;
  for (std::size_t i = 0; i < line.size();) {
    auto cp = decode_utf8(line.substr(i));
    std::size_t n = cp ? cp->length : 1;
    std::string_view raw = line.substr(i, n);
    std::string piece = raw == "\t" ? std::string(raw) : report::printable(raw);
    shown += piece;
    if (chars++ < e.loc.col - 1 - skipped)
      caret += raw == "\t" ? "\t" : piece != raw ? std::string(piece.size(), ' ') : cp->value >= 0x800 ? "  " : " ";
    i += n;
  }
  std::string out = std::string("  ") + (skipped ? "..." : "") + shown + (cut_end ? "..." : "") + "\n  ";
  if (skipped) out += "   ";
  return out + caret + "^\n";
}

// The one rendering of an error, in either language: "where: field: severity: message" (each part
// that is known, joined by `sep`), then the source line and its caret.
std::string render(const Error& e, std::string_view where, std::string_view field, std::string_view severity,
                   std::string_view message, std::string_view sep) {
  std::string out;
  for (std::string_view part : {where, field})
    if (!part.empty()) (out += part) += sep;
  ((out += severity) += sep) += message;
  return out + "\n" + source_excerpt(e);
}

std::string_view severity_zh(Severity s) {
  switch (s) {
    case Severity::error: return "错误";
    case Severity::warning: return "警告";
    case Severity::info: return "提示";
  }
  return "?";
}

}  // namespace

std::string Error::to_string(const char* severity) const {
  return render(*this, loc.known() ? loc.to_string() : loc.file, json_path, severity, message, ": ");
}

std::string to_text(const Error& e, const ReportOptions& options, Severity severity) {
  if (options.lang == "en") return e.to_string(to_string(severity).data());  // a literal: NUL-ended
  // The field by its label, its path kept beside it for reference; a message that names the field
  // by its label already (the schema's do: 「申请人类型」应为文本…) keeps the path alone, so that
  // the label is not said twice in one line.
  std::string field = e.json_path;
  if (!field.empty()) {
    std::string label = report::Presenter(Decision{}, options).missing(e.json_path);
    if (label != e.json_path && e.message_zh.find("「" + label + "」") == std::string::npos)
      field = label + "（" + e.json_path + "）";
  }
  // The place in words (a.json 第 3 行第 14 列; standard input by name), as a reviewer says it; a
  // script reads --lang en's file:line:col. The path $ names the whole document, which the file does.
  if (field == "$") field.clear();
  std::string where = e.loc.file == "-" ? "标准输入" : e.loc.file;
  if (e.loc.known())
    where += (where.empty() ? "第 " : " 第 ") + std::to_string(e.loc.line) + " 行" +
             (e.loc.col > 0 ? "第 " + std::to_string(e.loc.col) + " 列" : "");
  return render(e, where, field, severity_zh(severity), e.message_in("zh"), "：");
}

}  // namespace rulebook
