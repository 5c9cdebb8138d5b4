// Results as a workbook a grant office opens: one row per application beside the columns it
// was given, the verdict and every rule's outcome in words, amounts as numbers formatted in 元
// (so the office can sum them), and the reasons; a second sheet lists what could not be read.

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

#include "compile/pack_access.hpp"
#include "compile/program.hpp"
#include "report/present.hpp"
#include "rulebook/report.hpp"
#include "sheet/xlsx.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

// A document's verdict in words; one that could not be evaluated points at the errors' sheet.
std::string verdict_word(const Decision* d, const std::string& lang) {
  if (!d) return lang != "en" ? "无法审查（见“错误”表）" : "not evaluated (see Errors)";
  return std::string(report::word(report::words(lang), d->outcome));
}

// Columns a text takes on screen: CJK characters are two wide.
double display_width(std::string_view s) {
  double n = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto cp = decode_utf8(s.substr(i));
    if (!cp) return double(s.size());
    n += cp->value >= 0x1100 ? 2 : 1;
    i += cp->length;
  }
  return n;
}

}  // namespace

namespace detail {

struct XlsxResults {
  lxw_workbook* book = nullptr;
  lxw_worksheet *results = nullptr, *errors = nullptr;
  lxw_format *header = nullptr, *money_format = nullptr, *wrap = nullptr;
  std::string file, lang;
  /// A copy (it is shared, cheap): the writer may outlive the caller's reference, and the
  /// presenter reads its outputs' titles, units and labels.
  std::optional<CompiledPack> compiled;
  /// Outputs and fields as the reports show them (report/present.hpp): one wording, not two.
  std::optional<report::Presenter> presenter;
  std::vector<std::string> columns;
  bool id_only = false;  ///< inputs that are not sheets (JSON Lines): their id stands for the columns
  std::size_t verdict_col = 0, reasons_col = 0;
  std::vector<std::size_t> output_col;  ///< per rule, its first output's column
  /// Per rule and output, the format its numbers are shown in, as the report shows them (an
  /// amount in 元, a percent, a ratio as a percent, points); null: as decided.
  std::vector<std::vector<lxw_format*>> formats;
  std::vector<double> widths, error_widths{8, 12, 60};
  lxw_row_t row = 0, error_row = 0;

  bool zh() const { return lang != "en"; }
  const PackInfo& pack() const { return compiled->info(); }

  void text(lxw_worksheet* ws, std::vector<double>& w, lxw_row_t r, std::size_t c, const std::string& s,
            lxw_format* f = nullptr) {
    // Always a string cell: "=SUM(…)", "+86…", "-", "@x" from the input stay text, never formulas.
    std::string t = s.size() > 32767 ? s.substr(0, 32000) + "…" : s;
    worksheet_write_string(ws, r, lxw_col_t(c), t.c_str(), f);
    if (c < w.size()) w[c] = std::max(w[c], std::min(60.0, display_width(t)));
  }

  // `shown`: the number as the report writes it (150,000.00 元, 12.47%), for the column's width.
  void number(std::size_t c, const Decimal& d, lxw_format* format, const std::string& shown) {
    // Excel holds doubles; an amount of at most 15 significant digits survives exactly (libxlsxwriter
    // writes 16). The text is parsed, not computed, to stay exact. Money is shown to the fen by its
    // format, and held as decided: a sum in Excel is then the JSON's (61728.3945, not 61728.39).
    std::string s = d.to_string();
    worksheet_write_number(results, row, lxw_col_t(c), std::strtod(s.c_str(), nullptr), format);
    widths[c] = std::max(widths[c], display_width(shown) + 1);
  }

  // The cell a value came from ("申请!J9 成功转化"), else the field's label (转化是否成功（第3笔交易）):
  // a reviewer is never told a JSON path.
  std::string label(const BatchInput& in, const std::string& path) const {
    for (const auto& [p, where] : in.cells)
      if (p == path) return where;
    return presenter->missing(path);
  }

  // What is wrong with an input, in the workbook's language: the message where it names its cell
  // (a sheet's), else the cell or field its JSON path leads to, then the message. The file, line
  // and severity a terminal's line has (to_text) are the row and the sheet here.
  std::string error_line(const BatchInput& in, const Error& e) const {
    const std::string& message = e.message_in(lang);
    if (e.json_path.empty()) return message;
    std::string where = label(in, e.json_path);
    // A schema's Chinese message names its field by the label already (「合同技术交易额」为 -5…).
    if (zh() && where == presenter->missing(e.json_path) && message.find("「" + where + "」") != std::string::npos)
      return message;
    return where + (zh() ? "：" : ": ") + message;
  }

  std::string reasons(const BatchInput& in, const Decision& d) const {
    std::string out, sep = zh() ? "；" : "; ";
    std::set<std::string> said;  // a rule's missing data repeats its items'
    auto add = [&](const std::string& rule, const std::string& s) {
      if (!s.empty() && said.insert(rule + s).second) out += (out.empty() ? "" : sep) + rule + ": " + s;
    };
    for (const auto& r : d.rules) {
      if (r.outcome != Outcome::fail && r.outcome != Outcome::needs_info && r.outcome != Outcome::error) continue;
      for (const auto& f : r.failed) add(r.id, f.message.get(lang));
      std::unordered_set<std::string_view> of_items;  // said with their item already
      for (const auto& item : r.items) {
        std::string which = zh() ? "（" + item.key + "）" : " (" + item.key + ")";
        for (const auto& f : item.failed) add(r.id, f.message.get(lang) + which);
        for (const auto& m : item.missing) {
          add(r.id, (zh() ? "缺少 " : "missing ") + label(in, m) + which);
          of_items.insert(m);
        }
      }
      for (const auto& m : r.missing)
        if (!of_items.contains(m)) add(r.id, (zh() ? "缺少 " : "missing ") + label(in, m));
      if (r.error) add(r.id, r.error->message_in(lang));
    }
    return out;
  }
};

XlsxResults* open_results(const std::string& file, const CompiledPack& compiled, std::vector<std::string> columns,
                          std::string lang) {
  auto* out = new XlsxResults;
  XlsxResults& s = *out;
  const PackInfo& pack = compiled.info();
  s.file = file;
  s.lang = std::move(lang);
  s.compiled.emplace(compiled);
  ReportOptions shown;
  shown.lang = s.lang;
  shown.pack = &*s.compiled;
  s.presenter.emplace(Decision{}, shown);
  s.columns = std::move(columns);
  if (s.columns.empty()) {
    s.columns.push_back(s.zh() ? "编号" : "id");
    s.id_only = true;
  }
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_FALSE;
  s.book = workbook_new_opt(file.c_str(), &opts);
  if (!s.book) return out;
  s.results = workbook_add_worksheet(s.book, s.zh() ? "审查结果" : "Results");
  s.errors = workbook_add_worksheet(s.book, s.zh() ? "错误" : "Errors");
  s.header = workbook_add_format(s.book);
  format_set_bold(s.header);
  format_set_bg_color(s.header, 0xDDEBF7);
  s.money_format = workbook_add_format(s.book);
  format_set_num_format(s.money_format, "#,##0.00\" 元\"");
  // A number in a unit the report writes after it (report/present.cpp): held as decided, shown so.
  auto format = [&](const char* code) {
    lxw_format* f = workbook_add_format(s.book);
    format_set_num_format(f, code);
    return f;
  };
  const std::map<std::string, lxw_format*> by_unit = {{"yuan", s.money_format},
                                                      {"percent", format("0.00\"%\"")},
                                                      {"ratio", format("0.00%")},
                                                      {"points", format(s.zh() ? "0.00\" 个百分点\"" : "0.00\" pp\"")}};
  s.wrap = workbook_add_format(s.book);
  format_set_text_wrap(s.wrap);
  format_set_align(s.wrap, LXW_ALIGN_VERTICAL_TOP);

  std::vector<std::string> head = s.columns;
  s.verdict_col = head.size();
  head.push_back(s.zh() ? "结论" : "verdict");
  for (const auto& id : pack.rule_ids) head.push_back(id);
  // INVARIANT: the program's rules and outputs are in the order of rule_ids and rule_outputs.
  const auto& rules = detail::program(compiled).rules;
  for (std::size_t i = 0; i < pack.rule_ids.size(); ++i) {
    s.output_col.push_back(head.size());
    s.formats.emplace_back();
    for (std::size_t k = 0; k < pack.rule_outputs[i].size(); ++k) {
      head.push_back(pack.rule_ids[i] + " " + s.presenter->output_title(pack.rule_ids[i], pack.rule_outputs[i][k]));
      const detail::CompiledOutput* o =
          i < rules.size() && k < rules[i].outputs.size() ? &rules[i].outputs[k] : nullptr;
      auto f = o ? by_unit.find(o->unit) : by_unit.end();
      s.formats.back().push_back(f == by_unit.end() ? nullptr : f->second);
    }
  }
  s.reasons_col = head.size();
  head.push_back(s.zh() ? "原因" : "reasons");
  s.widths.assign(head.size(), 8);
  for (std::size_t c = 0; c < head.size(); ++c) s.text(s.results, s.widths, 0, c, head[c], s.header);
  std::vector<std::string> error_head = s.zh() ? std::vector<std::string>{"行", "申请编号", "错误"}
                                               : std::vector<std::string>{"row", "application", "error"};
  for (std::size_t c = 0; c < 3; ++c) s.text(s.errors, s.error_widths, 0, c, error_head[c], s.header);
  worksheet_freeze_panes(s.results, 1, 0);
  worksheet_freeze_panes(s.errors, 1, 0);
  return out;
}

void free_results(XlsxResults* s) {
  if (s->book) workbook_close(s->book);  // close_results() not called: still release it
  delete s;
}

void add_result(XlsxResults& s, const BatchRecord& r) {
  if (!s.book) return;
  ++s.row;
  for (std::size_t c = 0; c < s.columns.size() && c < r.input.shown.size(); ++c)
    if (!r.input.shown[c].empty()) s.text(s.results, s.widths, s.row, c, r.input.shown[c]);
  if (s.id_only && !r.id.empty()) s.text(s.results, s.widths, s.row, 0, r.id);
  s.text(s.results, s.widths, s.row, s.verdict_col, verdict_word(r.decision, s.lang));
  if (!r.decision) {
    std::string all;
    for (const auto& e : r.errors) {
      std::string msg = s.error_line(r.input, e);
      all += (all.empty() ? "" : "\n") + msg;
      ++s.error_row;
      worksheet_write_number(s.errors, s.error_row, 0, double(r.input.line), nullptr);
      s.text(s.errors, s.error_widths, s.error_row, 1, r.id);
      s.text(s.errors, s.error_widths, s.error_row, 2, msg, s.wrap);
    }
    s.text(s.results, s.widths, s.row, s.reasons_col, all, s.wrap);
    return;
  }
  const Decision& d = *r.decision;
  const PackInfo& pack = s.pack();
  const report::Words& w = report::words(s.lang);
  for (std::size_t i = 0; i < d.rules.size() && i < pack.rule_ids.size(); ++i) {
    const RuleDecision& rule = d.rules[i];
    s.text(s.results, s.widths, s.row, s.verdict_col + 1 + i, report::word(w, rule));
    const auto& names = pack.rule_outputs[i];
    for (std::size_t k = 0; k < names.size() && k < rule.outputs.size(); ++k) {
      const Value& v = rule.outputs[k].second;
      std::size_t col = s.output_col[i] + k;
      // A number is a number cell (an office sums it), money formatted in 元; the rest as the
      // report shows it: codes by the output's labels, yes/no, 未知, lists item by item.
      if (v.kind() == Kind::number)
        s.number(col, v.as_number(), s.formats[i][k], s.presenter->value(rule.id, names[k], v));
      else
        s.text(s.results, s.widths, s.row, col, s.presenter->value(rule.id, names[k], v));
    }
  }
  std::string why = s.reasons(r.input, d);
  if (!why.empty()) s.text(s.results, s.widths, s.row, s.reasons_col, why, s.wrap);
}

bool close_results(XlsxResults& s, std::vector<Error>& errors) {
  if (!s.book) {
    errors.push_back({Error::Code::io, "cannot create the workbook", {s.file, 0, 0}, {}, {}});
    return false;
  }
  for (std::size_t c = 0; c < s.widths.size(); ++c)
    worksheet_set_column(s.results, lxw_col_t(c), lxw_col_t(c), std::min(60.0, s.widths[c] + 2), nullptr);
  for (std::size_t c = 0; c < s.error_widths.size(); ++c)
    worksheet_set_column(s.errors, lxw_col_t(c), lxw_col_t(c), std::min(80.0, s.error_widths[c] + 2), nullptr);
  worksheet_autofilter(s.results, 0, 0, s.row, lxw_col_t(s.widths.size() - 1));
  lxw_error e = workbook_close(s.book);
  s.book = nullptr;
  if (e != LXW_NO_ERROR) {
    errors.push_back(
        {Error::Code::io, std::string("cannot write the workbook: ") + lxw_strerror(e), {s.file, 0, 0}, {}, {}});
    return false;
  }
  return true;
}

}  // namespace detail
}  // namespace rulebook
