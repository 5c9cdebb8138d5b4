// The report a reviewer signs: one self-contained HTML page (no network, A4 when printed) with
// the applicant, the verdict, a table per rule's items (money per transaction), the reasons in
// words, each clause quoted with its plan, and lines to sign.

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

#include "report/markup.hpp"
#include "report/present.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

using report::Presenter;

std::string e(std::string_view s) { return markup_escape(s); }

// A column's heading. A short one is kept whole (合同编号); a long one (高价值发明专利增速与目标之差)
// may wrap, or a table of many columns runs off the printed page.
std::string heading(std::string_view title) {
  constexpr std::size_t whole = 6;  // characters
  return std::string(utf8_length(title) > whole ? "<th class=\"wraps\">" : "<th>") + e(title) + "</th>";
}

// An identifier from the data (ZX-2025-01, JS25-034): printable ASCII without a space, short. Kept
// on one line: a number split at its hyphen reads as two.
bool identifier(const Value& v) {
  if (v.kind() != Kind::string || v.as_string().empty() || v.as_string().size() > 32) return false;
  return std::all_of(v.as_string().begin(), v.as_string().end(), [](char c) { return c > ' ' && c < 0x7F; });
}

// `s` as a CSS string, for the page's margin boxes: quotes and backslashes escaped, and < > & and
// control characters by their code points, so that nothing in it ends the style element.
std::string css_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F || c == '<' || c == '>' || c == '&') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%x ", unsigned(u));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

const char* css_class(Outcome o) {
  switch (o) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::needs_info: return "info";
    case Outcome::not_applicable: return "na";
    case Outcome::error: return "error";
  }
  return "";
}

constexpr const char* style = R"(
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #1b1f24; margin: 0 auto; max-width: 190mm; padding: 12px; font-size: 10.5pt; line-height: 1.5; }
h1 { font-size: 17pt; margin: 0 0 4px; }
h2 { font-size: 12.5pt; margin: 18px 0 6px; border-bottom: 1px solid #c9d1d9; padding-bottom: 3px; }
.plan { color: #444; margin-bottom: 10px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border: 1px solid #c9d1d9; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; }
thead th, .rows th { word-break: keep-all; }  /* 合同编号 whole; English breaks at its spaces */
thead th.wraps { word-break: normal; }
.id { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.whole { white-space: nowrap; }
.facts th { width: 28%; }
.verdict { font-size: 15pt; font-weight: 700; padding: 8px 12px; border-radius: 4px; margin: 10px 0; display: inline-block; }
.badge { font-weight: 600; padding: 0 6px; border-radius: 3px; white-space: nowrap; }
.pass { background: #e6f4ea; color: #1e6b34; } .fail { background: #fde7e9; color: #a4141f; }
.info { background: #fff4d6; color: #7a5200; } .na { background: #eef0f3; color: #555; } .error { background: #fde7e9; color: #a4141f; }
blockquote { margin: 6px 0; padding: 4px 10px; border-left: 3px solid #8c959f; background: #f7f8fa; }
.note, .cite { color: #444; font-size: 9.5pt; }
ul { margin: 4px 0; padding-left: 20px; }
tr, blockquote, .closing { break-inside: avoid; }
h2 { break-after: avoid; }
.folded { color: #555; margin-top: 14px; }
.closing { margin-top: 18px; }
.sign { margin-top: 28px; display: flex; gap: 40px; }
.sign div { flex: 1; border-top: 1px solid #1b1f24; padding-top: 4px; }
footer { margin-top: 18px; color: #777; font-size: 8.5pt; }
@media print { body { padding: 0; } }
)";

// What element k was cut by (DS-01: by the cap): its cell of the rule's last money column, below
// that of the money column before it (what was asked for). Both known; and no money output after
// the one asked for unknown as a whole (that may be the grant, not shown as a column): a grant still
// unknown cuts nothing.
std::optional<Decimal> money_cut(const Presenter& p, const RuleDecision& r, const std::vector<std::size_t>& columns,
                                 std::size_t k) {
  std::vector<std::size_t> money;  // the money columns
  for (std::size_t c : columns)
    if (p.is_money(r.id, r.outputs[c].first)) money.push_back(c);
  if (money.size() < 2) return std::nullopt;
  const std::size_t asked_at = money[money.size() - 2], granted_at = money.back();
  for (std::size_t o = asked_at + 1; o < r.outputs.size(); ++o)
    if (p.is_money(r.id, r.outputs[o].first) && r.outputs[o].second.is_unknown()) return std::nullopt;
  const Value& asked = r.outputs[asked_at].second.as_list().items[k];
  const Value& granted = r.outputs[granted_at].second.as_list().items[k];
  if (asked.kind() != Kind::number || granted.kind() != Kind::number) return std::nullopt;
  Decimal a = asked.as_number().round(2), g = granted.as_number().round(2);
  if (!(g < a)) return std::nullopt;
  return a - g;
}

void rule_section(std::string& out, const Presenter& p, const RuleDecision& r) {
  const auto& w = p.w();
  const std::string& lang = p.lang();
  out += "<section class=\"rule\" id=\"" + e(r.id) + "\">\n<h2>" + e(r.id) + " " + e(r.title.get(lang)) +
         " <span class=\"badge " + css_class(r.outcome) + "\">" + e(word(w, r)) + "</span></h2>\n";
  if (!r.reason.zh.empty() || !r.reason.en.empty())
    out += "<p>" + e(w.reason) + (lang == "en" ? ": " : "：") + e(r.reason.get(lang)) + "</p>\n";
  if (!r.justification.empty())
    out += "<p>" + e(w.justification) + (lang == "en" ? ": " : "：") + e(r.justification) + "</p>\n";
  if (!r.failed.empty()) {
    out += "<p>" + e(w.failed) + (lang == "en" ? ":" : "：") + "</p><ul>";
    for (const auto& f : r.failed) out += "<li>" + e(f.message.get(lang)) + "</li>";
    out += "</ul>\n";
  }
  if (!r.missing.empty()) {
    out += "<p>" + e(w.missing) + (lang == "en" ? ":" : "：") + "</p><ul>";
    for (const auto& m : r.missing) out += "<li>" + e(p.missing(m)) + "</li>";
    out += "</ul>\n";
  }
  auto columns = Presenter::item_columns(r);
  if (!r.items.empty()) {
    out += "<table class=\"items\"><thead><tr><th>" + e(w.item) + "</th><th>" + e(w.outcome) + "</th>";
    for (std::size_t c : columns) out += heading(p.output_title(r.id, r.outputs[c].first));
    out += "<th>" + e(w.reason) + "</th></tr></thead><tbody>\n";
    for (std::size_t k = 0; k < r.items.size(); ++k) {
      const auto& i = r.items[k];
      out += "<tr><td class=\"id\">" + e(i.key) + "</td><td><span class=\"badge " + css_class(i.outcome) + "\">" +
             e(word(w, i.outcome)) + "</span></td>";
      std::vector<std::string> why;  // HTML
      for (std::size_t c : columns) {
        const auto& [name, v] = r.outputs[c];
        const Value& cell = v.as_list().items[k];
        out += std::string("<td") +
               (cell.kind() == Kind::number ? " class=\"num\""
                : identifier(cell)          ? " class=\"id\""
                                            : "") +
               ">" + e(p.value(r.id, name, cell)) + "</td>";
      }
      if (auto cut = money_cut(p, r, columns, k); cut && i.outcome == Outcome::pass)
        // the figure kept on one line (a figure split from its 元 reads as two), the words free to wrap
        // so that the table keeps to the page
        why.push_back(e(w.reduced) + " <span class=\"whole\">" +
                      e(report::with_separators(*cut, true) + (lang == "en" ? " yuan" : " 元")) + "</span>");
      if (!i.reason.zh.empty() || !i.reason.en.empty()) why.push_back(e(i.reason.get(lang)));
      for (const auto& f : i.failed) why.push_back(e(f.message.get(lang)));
      for (const auto& m : i.missing)
        why.push_back(e(std::string(w.missing) + (lang == "en" ? ": " : "：") + p.missing(m)));
      out += "<td>";
      for (std::size_t n = 0; n < why.size(); ++n) out += (n ? "<br>" : "") + why[n];
      out += "</td></tr>\n";
    }
    out += "</tbody></table>\n";
  }
  std::set<std::size_t> apart(columns.begin(), columns.end());  // shown by the items, or as rows
  if (auto rows = p.rows(r)) {
    apart.insert(rows->names);
    apart.insert(rows->columns.begin(), rows->columns.end());
    out += "<table class=\"rows\"><thead><tr>" + heading(p.output_title(r.id, r.outputs[rows->names].first));
    for (std::size_t c : rows->columns) out += heading(p.output_title(r.id, r.outputs[c].first));
    out += "</tr></thead><tbody>\n";
    for (std::size_t k = 0; k < r.outputs[rows->names].second.as_list().items.size(); ++k) {
      out += "<tr><td>" + e(p.row_name(r, *rows, k)) + "</td>";
      for (std::size_t c : rows->columns) {
        const Value& cell = r.outputs[c].second.as_list().items[k];
        out += std::string("<td") + (cell.kind() == Kind::number ? " class=\"num\"" : "") + ">" +
               e(p.row_value(r, *rows, c, k)) + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody></table>\n";
  }
  if (r.outputs.size() > apart.size()) {
    out += "<table class=\"outputs\"><tbody>\n";
    for (std::size_t i = 0; i < r.outputs.size(); ++i) {
      if (apart.contains(i)) continue;
      const auto& [name, v] = r.outputs[i];
      out += "<tr><th>" + e(p.output_title(r.id, name)) + "</th><td" +
             (v.kind() == Kind::number ? " class=\"num\"" : "") + ">" + e(p.value(r, name, v)) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
  }
  if (r.error) out += "<p class=\"error\">" + e(w.error) + ": " + e(r.error->message) + "</p>\n";
  out += "<blockquote>「" + e(r.citation.quote) + "」<div class=\"cite\">— " + e(r.citation.document) + " " +
         e(r.citation.clause) + "</div></blockquote>\n";
  if (!r.note.zh.empty() || !r.note.en.empty())
    out += "<p class=\"note\">" + e(w.note) + (lang == "en" ? ": " : "：") + e(r.note.get(lang)) + "</p>\n";
  out += "</section>\n";
}

}  // namespace

std::string to_html(const Decision& d, const ReportOptions& options) {
  Presenter p(d, options);
  const auto& w = p.w();
  const std::string& lang = p.lang();
  const std::string file = Presenter::document_name(d);
  std::string out;
  Applicant a;
  if (options.input) a = applicant_of(*options.input, options.pack);
  const std::string verdict = std::string(w.result) + (lang == "en" ? ": " : "：") + std::string(word(w, d.outcome));
  // Each printed page says whose report it is, its verdict and where it stands: a page that
  // falls out of the pile is still known (the signature's page above all).
  std::string who = std::string(w.title) + (a.name.empty() ? "" : " · " + report::printable(a.name)) + " · " + verdict;
  std::string page = std::string("\n@page {\n  @bottom-left { content: ") + css_string(who) +
                     "; font-size: 8pt; color: #777; }\n  @bottom-right { content: " +
                     (lang == "en" ? "\"page \" counter(page) \" of \" counter(pages)"
                                   : "\"第 \" counter(page) \" 页 / 共 \" counter(pages) \" 页\"") +
                     "; font-size: 8pt; color: #777; white-space: nowrap; }\n}\n";
  out += "<!DOCTYPE html>\n<html lang=\"" + std::string(lang == "en" ? "en" : "zh-CN") +
         "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + e(w.title) + (file.empty() ? "" : " — " + e(file)) +
         "</title>\n<style>" + style + page + "</style>\n</head>\n<body>\n";
  out += "<h1>" + e(w.title) + "</h1>\n<div class=\"plan\">" + e(p.plan_title(d)) + "</div>\n";
  out += "<table class=\"facts\"><tbody>\n";
  auto fact = [&](const char* label, const std::string& value) {
    if (!value.empty()) out += "<tr><th>" + e(label) + "</th><td>" + e(value) + "</td></tr>\n";
  };
  fact(w.applicant, a.name);
  fact(w.credit_code, a.credit_code);
  fact(w.application, a.application_id);
  fact(w.document, file);
  fact(w.as_of, d.as_of);
  fact(w.pack, d.pack + " " + d.version);
  fact(w.hash, options.pack_hash);
  fact(w.reviewer, options.reviewer);
  out += "</tbody></table>\n";
  out += "<div class=\"verdict " + std::string(css_class(d.outcome)) + "\">" + e(verdict) + "</div>\n";
  std::vector<std::string> folded;
  std::set<std::string> reasons;
  for (const auto& r : d.rules) {
    if (Presenter::folded(r)) {
      folded.push_back(r.id);
      reasons.insert(r.reason.get(lang));
    } else {
      rule_section(out, p, r);
    }
  }
  if (!folded.empty()) {
    out += "<p class=\"folded\">" + e(w.not_applicable) + (lang == "en" ? " (" : "（") + std::to_string(folded.size()) +
           (lang == "en" ? "): " : "）：");
    for (std::size_t i = 0; i < folded.size(); ++i) out += (i ? (lang == "en" ? ", " : "、") : "") + e(folded[i]);
    if (reasons.size() == 1) out += " — " + e(*reasons.begin());
    out += "</p>\n";
  }
  // The lines to sign never stand alone on a page: whom and what is signed goes with them.
  out += "<div class=\"closing\"><p>" +
         (a.name.empty() ? "" : e(w.applicant) + (lang == "en" ? ": " : "：") + e(a.name) + " · ") +
         "<span class=\"badge " + css_class(d.outcome) + "\">" + e(verdict) + "</span></p>\n<div class=\"sign\"><div>" +
         e(w.sign) + "</div><div>" + e(w.date) + "</div></div></div>\n";
  out += "<footer>" + e(w.generated) + " · " + e(d.pack) + " " + e(d.version) + "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace rulebook
