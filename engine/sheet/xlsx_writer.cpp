// Results as a workbook a grant office opens: one row per application beside the columns it
// was given, the verdict and every rule's outcome in words, amounts as numbers formatted in 元
// (so the office can sum them), and the reasons; a second sheet lists what could not be read.

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_set>

#include "compile/pack_access.hpp"
#include "compile/program.hpp"
#include "sheet/xlsx.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

std::string outcome_word(std::optional<Outcome> o, const std::string& lang) {
  bool zh = lang != "en";
  if (!o) return zh ? "无法审查（见“错误”表）" : "not evaluated (see Errors)";
  switch (*o) {
    case Outcome::pass: return zh ? "通过" : "pass";
    case Outcome::fail: return zh ? "不通过" : "fail";
    case Outcome::needs_info: return zh ? "需补充材料" : "needs information";
    case Outcome::not_applicable: return zh ? "不适用" : "not applicable";
    case Outcome::error: return zh ? "规则出错" : "rule error";
  }
  return {};
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

// "1234567.5" → "1,234,567.50": how an amount reads inside a sentence or a list.
std::string money_text(const Decimal& d) {
  std::string s = d.round(2).to_string();
  std::string sign = s[0] == '-' ? "-" : "";
  if (!sign.empty()) s.erase(0, 1);
  std::size_t dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  frac.resize(2, '0');
  for (std::ptrdiff_t i = std::ptrdiff_t(whole.size()) - 3; i > 0; i -= 3) whole.insert(std::size_t(i), ",");
  return sign + whole + "." + frac;
}

}  // namespace

namespace detail {

struct XlsxResults {
  lxw_workbook* book = nullptr;
  lxw_worksheet *results = nullptr, *errors = nullptr;
  lxw_format *header = nullptr, *money_format = nullptr, *wrap = nullptr;
  std::string file, lang;
  PackInfo pack;  ///< a copy: the writer may outlive the caller's reference
  std::vector<std::string> columns;
  bool id_only = false;  ///< inputs that are not sheets (JSON Lines): their id stands for the columns
  std::size_t verdict_col = 0, reasons_col = 0;
  std::vector<std::size_t> output_col;   ///< per rule, its first output's column
  std::vector<std::vector<bool>> money;  ///< per rule and output: its unit is yuan
  std::vector<double> widths, error_widths{8, 12, 60};
  lxw_row_t row = 0, error_row = 0;

  bool zh() const { return lang != "en"; }

  void text(lxw_worksheet* ws, std::vector<double>& w, lxw_row_t r, std::size_t c, const std::string& s,
            lxw_format* f = nullptr) {
    // Always a string cell: "=SUM(…)", "+86…", "-", "@x" from the input stay text, never formulas.
    std::string t = s.size() > 32767 ? s.substr(0, 32000) + "…" : s;
    worksheet_write_string(ws, r, lxw_col_t(c), t.c_str(), f);
    if (c < w.size()) w[c] = std::max(w[c], std::min(60.0, display_width(t)));
  }

  void number(std::size_t c, const Decimal& d, bool yuan) {
    // Excel holds doubles; an amount of at most 15 significant digits survives exactly (libxlsxwriter
    // writes 16). The text is parsed, not computed, to stay exact. Money is shown to the fen by its
    // format, and held as decided: a sum in Excel is then the JSON's (61728.3945, not 61728.39).
    std::string s = d.to_string();
    worksheet_write_number(results, row, lxw_col_t(c), std::strtod(s.c_str(), nullptr), yuan ? money_format : nullptr);
    widths[c] = std::max(widths[c], yuan ? display_width(money_text(d)) + 3 : display_width(s));
  }

  std::string label(const BatchInput& in, const std::string& path) const {
    for (const auto& [p, where] : in.cells)
      if (p == path) return where;
    return path;
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
      if (r.error) add(r.id, r.error->message);
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
  s.pack = pack;
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
    s.money.emplace_back();
    for (std::size_t k = 0; k < pack.rule_outputs[i].size(); ++k) {
      const detail::CompiledOutput* o =
          i < rules.size() && k < rules[i].outputs.size() ? &rules[i].outputs[k] : nullptr;
      std::string title = o ? o->title.get(s.lang) : "";
      head.push_back(pack.rule_ids[i] + " " + (title.empty() ? pack.rule_outputs[i][k] : title));
      s.money.back().push_back(o && (o->unit.starts_with("yuan") || o->unit.find("元") != std::string::npos));
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
  s.text(s.results, s.widths, s.row, s.verdict_col,
         outcome_word(r.decision ? std::optional(r.decision->outcome) : std::nullopt, s.lang));
  if (!r.decision) {
    std::string all;
    for (const auto& e : r.errors) {
      std::string msg = (e.json_path.empty() ? "" : s.label(r.input, e.json_path) + ": ") + e.message;
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
  for (std::size_t i = 0; i < d.rules.size() && i < s.pack.rule_ids.size(); ++i) {
    const RuleDecision& rule = d.rules[i];
    s.text(s.results, s.widths, s.row, s.verdict_col + 1 + i, outcome_word(rule.outcome, s.lang));
    const auto& names = s.pack.rule_outputs[i];
    for (std::size_t k = 0; k < names.size() && k < rule.outputs.size(); ++k) {
      const Value& v = rule.outputs[k].second;
      std::size_t col = s.output_col[i] + k;
      bool yuan = s.money[i][k];
      if (v.kind() == Kind::number) {
        s.number(col, v.as_number(), yuan);
      } else if (v.kind() == Kind::list) {
        std::string all;
        for (const auto& item : v.as_list().items)
          all += (all.empty() ? "" : "; ") + (item.kind() == Kind::number
                                                  ? (yuan ? money_text(item.as_number()) : item.to_display())
                                              : item.is_unknown() ? std::string("?")
                                                                  : item.to_display());
        s.text(s.results, s.widths, s.row, col, all);
      } else if (v.kind() == Kind::boolean) {
        s.text(s.results, s.widths, s.row, col, v.as_bool() ? (s.zh() ? "是" : "yes") : (s.zh() ? "否" : "no"));
      } else if (v.kind() != Kind::unknown && v.kind() != Kind::null) {
        s.text(s.results, s.widths, s.row, col, v.kind() == Kind::string ? v.as_string() : v.to_display());
      }
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
