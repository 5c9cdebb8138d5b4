// A diff report for people (text, HTML) and machines (JSON). All three say the same, in the
// same order: which versions (and whether their numbers tell them apart), the money moved by
// each change of outcome, the totals of the money outputs, the pack's changes (the cause),
// outcomes that moved, outputs that changed. People read rules, outputs and outcomes by their
// titles, money with separators and 元, applicants by name (report/present.hpp).

#include <algorithm>
#include <cmath>
#include <string>

#include "compile/program.hpp"
#include "report/json_writer.hpp"
#include "report/markup.hpp"
#include "report/present.hpp"
#include "rulebook/diff.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

// Every money output with a total under either version: rule, output, base, head.
struct TotalRow {
  std::string rule, output;
  Decimal base, head;
  std::uint64_t base_unknown = 0, head_unknown = 0;  ///< documents whose amount is unknown (not in the sum)
};

std::vector<TotalRow> totals(const DiffReport& r) {
  std::vector<TotalRow> rows;
  for (const auto& [rule, name] : r.money) rows.push_back({rule, name, {}, {}});
  std::vector<bool> seen(rows.size());
  auto add = [&](const Summary& s, bool is_head) {
    for (const auto& rule : s.rules())
      for (const auto& output : rule.outputs) {
        const auto& [name, t] = output;
        auto it = std::find_if(rows.begin(), rows.end(), [&](auto& x) { return x.rule == rule.id && x.output == output.first; });
        if (it == rows.end() || !(t.known || t.unknown) || t.boolean) continue;
        (is_head ? it->head : it->base) = t.sum;
        (is_head ? it->head_unknown : it->base_unknown) = t.unknown;
        seen[std::size_t(it - rows.begin())] = true;
      }
  };
  add(r.head_totals, true);
  add(r.base_totals, false);
  std::vector<TotalRow> out;  // an output never computed under either version has no total
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (seen[i]) out.push_back(std::move(rows[i]));
  return out;
}

Decimal difference(const MoneyImpact& m) { return m.head - m.base; }

// The words of one report: titles from the packs (the head's first), outcomes, money.
class Labels {
 public:
  Labels(const DiffReport& r, std::string_view lang) : zh(lang != "en"), w(report::words(zh ? "zh" : "en")) {
    for (const auto* pack : {r.head_pack ? &*r.head_pack : nullptr, r.base_pack ? &*r.base_pack : nullptr}) {
      if (!pack) continue;
      ReportOptions o;
      o.lang = zh ? "zh" : "en";
      o.pack = pack;
      presenters_.emplace_back(none_, o);
    }
  }
  const bool zh;
  const report::Words& w;

  std::string rule(const std::string& id) const {
    if (id.empty()) return zh ? "（整份材料）" : "(whole application)";
    for (const auto& p : presenters_)
      for (const auto& r : p.program()->rules)
        if (r.id == id && !r.title.get(lang()).empty()) return id + " " + r.title.get(lang());
    return id;
  }
  std::string output(const std::string& rule, const std::string& name) const {
    for (const auto& p : presenters_)
      if (auto t = p.output_title(rule, name); t != name) return t;
    return name;
  }
  std::string value(const std::string& rule, const std::string& name, const Value& v) const {
    for (const auto& p : presenters_)
      if (p.is_money(rule, name)) return p.value(rule, name, v);
    return presenters_.empty() ? (v.is_unknown() ? w.unknown : v.to_display()) : presenters_.front().value(rule, name, v);
  }
  std::string money(const Decimal& d) const { return report::with_separators(d, true) + " " + w.yuan; }
  std::string signed_money(const Decimal& d) const { return (d > Decimal(0) ? "+" : "") + money(d); }
  // What a sum leaves out: the amounts still unknown under each version ("" when none).
  std::string unknown_note(std::uint64_t base, std::uint64_t head) const {
    if (!base && !head) return {};
    auto side = [&](const char* zh_name, const char* en_name, std::uint64_t n) {
      return n ? std::string(zh ? zh_name : en_name) + std::to_string(n) + (zh ? " 份" : "") : std::string();
    };
    std::string b = side("原版本 ", "base ", base), h = side("新版本 ", "head ", head);
    std::string both = b.empty() ? h : h.empty() ? b : b + (zh ? "，" : ", ") + h;
    return zh ? "（金额未知、未计入：" + both + "）" : " (amounts unknown, not counted: " + both + ")";
  }
  std::string outcome(Outcome o, bool refused = false) const {
    return refused ? (zh ? "拒收（数据不符合该版本的数据模式）" : "refused (the input breaks that version's schema)")
                   : std::string(report::word(w, o));
  }
  template <class Change>  // OutcomeChange, MoneyImpact
  std::string change(const Change& c) const {
    if (c.from == c.to && c.from_invalid == c.to_invalid)
      return (zh ? "仍为" : "still ") + outcome(c.from) + (zh ? "（金额改变）" : " (amount changed)");
    return outcome(c.from, c.from_invalid) + " → " + outcome(c.to, c.to_invalid);
  }
  /// "DS-01：不通过 → 通过": the rule that grants the money and how its outcome changed.
  std::string impact(const MoneyImpact& m) const { return m.rule + colon() + change(m); }
  /// The inputs refused, by each version where they differ: "（原版本拒收 0 份，新版本拒收 2 份）".
  std::string refused(const DiffReport& r) const {
    std::uint64_t b = r.base_totals.invalid(), h = r.head_totals.invalid();
    if (!b && !h) return {};
    if (b == h) return (zh ? "（无法判定 " : " (") + std::to_string(b) + (zh ? " 份）" : " invalid)");
    return zh ? "（原版本拒收 " + std::to_string(b) + " 份，新版本拒收 " + std::to_string(h) + " 份）"
              : " (refused: " + std::to_string(b) + " by the base, " + std::to_string(h) + " by the head)";
  }
  std::string inputs(std::uint64_t n) const {
    return std::to_string(n) + (zh ? " 份" : n == 1 ? " application" : " applications");
  }
  std::string kind(const std::string& k) const {
    static const std::pair<const char*, const char*> names[] = {
        {"param", "参数"}, {"param clause", "参数的条款"}, {"def", "定义"}, {"rule", "规则标题"}, {"quote", "引文"},
        {"clause", "条款"}, {"severity", "严重程度"}, {"applies", "适用条件"}, {"param_date", "参数日期"},
        {"justification", "说明理由"}, {"condition", "条件"}, {"each", "逐项"}, {"output", "输出"}, {"unit", "输出单位"},
        {"answer", "结论输出"}, {"title", "规则标题（英文）"}, {"dated", "事件日期"}, {"message", "条件说明"},
        {"key", "逐项标识"}, {"period", "有效期"}};
    if (zh)
      for (const auto& [en, word] : names)
        if (k == en) return word;
    return k;
  }
  std::string colon() const { return zh ? "：" : ": "; }

 private:
  std::string lang() const { return zh ? "zh" : "en"; }
  static inline const Decision none_{};
  std::vector<report::Presenter> presenters_;
};

std::string short_hash(const std::string& h) { return h.substr(0, 12); }

// One line per version: id, number and content hash.
std::string version_line(const std::string& name, const std::string& hash, const Labels& l) {
  return name + (hash.empty() ? "" : (l.zh ? "，内容哈希 " : ", content hash ") + short_hash(hash));
}

// The versions told apart honestly: a changed pack under an unchanged number is called out.
std::string version_note(const DiffReport& r, const Labels& l) {
  switch (r.version_note) {
    case VersionNote::changed_same_version: {
      std::string hashes = r.base_hash.empty() || r.head_hash.empty() ? ""
                           : (l.zh ? "（" : " (") + short_hash(r.base_hash) + " ≠ " + short_hash(r.head_hash) + (l.zh ? "）" : ")");
      return l.zh ? "注意：两个规则包的版本号同为 " + r.head_version + "，内容却不同" + hashes +
                        "。依它们作出的决定无法凭版本号区分：发布前请提升版本号。"
                  : "Warning: both packs are version " + r.head_version + " but their contents differ" + hashes +
                        ". Decisions taken under them cannot be told apart by their version: raise it before publishing.";
    }
    case VersionNote::same_content_new_version:
      return l.zh ? "版本号由 " + r.base_version + " 改为 " + r.head_version + "，内容未变。"
                  : "The version went from " + r.base_version + " to " + r.head_version + " but the contents did not change.";
    case VersionNote::different_packs:
      return l.zh ? "注意：原版本与新版本是两个不同的规则包（" + r.base + " 与 " + r.head +
                        "），不是同一规则包的两个版本：以下变化并非一次修订的影响，请核对 --base 与 --head。"
                  : "Warning: base and head are different packs (" + r.base + " and " + r.head +
                        "), not two versions of one pack: the changes below are not the impact of a revision. Check --base and --head.";
    case VersionNote::same_content: return l.zh ? "两个规则包内容相同。" : "The two packs have the same contents.";
    case VersionNote::rules_alike:
      return l.zh ? "注意：两个规则包的规则相同，但有文件无法计算内容哈希（数据模式、台账数据、方案原文可能不同），无法"
                    "确认内容相同。"
                  : "Warning: the two packs' rules are alike, but some of their files could not be hashed (a schema, "
                    "the ledger figures or the plan's text may differ): the contents are not known to be the same.";
    case VersionNote::changed: break;
  }
  return {};
}

// Notes a reviewer must not miss: a changed pack under one number, or two unrelated packs.
bool warns(const DiffReport& r) {
  return r.version_note == VersionNote::changed_same_version || r.version_note == VersionNote::different_packs ||
         r.version_note == VersionNote::rules_alike;
}

// Columns of text as a terminal shows them: CJK characters take two.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto cp = decode_utf8(s.substr(i));
    char32_t c = cp ? cp->value : 0;
    i += cp ? cp->length : 1;
    n += (c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                          (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60))) ? 2 : 1;
  }
  return n;
}
std::string pad(std::string s, std::size_t to, bool right = false) {
  std::size_t w = width(s);
  std::string fill(w < to ? to - w : 0, ' ');
  return right ? fill + s : s + fill;
}

// |d| / largest, as a share of `cells` (at least one for a change that is not zero).
std::size_t bar_length(const Decimal& d, const Decimal& largest, double cells) {
  if (d.is_zero() || largest.is_zero()) return 0;
  double share = std::stod(d.abs().to_string()) / std::stod(largest.to_string());
  return std::max<std::size_t>(1, std::size_t(std::lround(share * cells)));
}

Decimal largest_change(const DiffReport& r) {
  Decimal m;
  for (const auto& i : r.impact) m = std::max(m, difference(i).abs());
  return m;
}

constexpr std::size_t text_limit = 50;  // individual changes listed in text; JSON and HTML list all

}  // namespace

std::string to_text(const DiffReport& r, std::string_view lang) {
  Labels l(r, lang);
  bool zh = l.zh;
  std::string out = "rulebook diff" + l.colon() + r.base + " → " + r.head + (zh ? "，判定日期 " : ", as of ") + r.as_of +
                    (zh ? "，材料 " : ", ") + l.inputs(r.inputs);
  out += l.refused(r);
  out += "\n  " + std::string(zh ? "原版本：" : "base: ") + version_line(r.base, r.base_hash, l);
  out += "\n  " + std::string(zh ? "新版本：" : "head: ") + version_line(r.head, r.head_hash, l) + "\n";
  if (auto note = version_note(r, l); !note.empty())
    out += (warns(r) ? "\n!! " : "  ") + note + "\n";

  out += zh ? "\n金额影响（按发放资金的规则的结论变化）：\n" : "\nMoney impact by change of outcome of the rule that grants it:\n";
  if (r.impact.empty()) out += zh ? "  （无）\n" : "  (none)\n";
  std::size_t label_width = 0;
  for (const auto& i : r.impact) label_width = std::max(label_width, width(l.impact(i)));
  Decimal largest = largest_change(r);
  for (const auto& i : r.impact) {
    Decimal d = difference(i);
    out += "  " + pad(l.impact(i), label_width) + "  " + pad(l.inputs(i.inputs), zh ? 8 : 16, true) + "  " +
           pad(l.signed_money(d), 22, true) + "  " +
           // no bar for a difference that leaves amounts out: it is not the money moved
           (i.base_unknown || i.head_unknown ? l.unknown_note(i.base_unknown, i.head_unknown)
                                             : std::string(bar_length(d, largest, 30), d.is_negative() ? '-' : '+')) +
           "\n";
  }

  out += zh ? "\n金额合计（只计金额输出）：\n" : "\nTotals of the money outputs:\n";
  auto rows = totals(r);
  if (rows.empty()) out += zh ? "  （规则包没有金额输出）\n" : "  (the pack has no money outputs)\n";
  for (const auto& t : rows)
    out += "  " + l.rule(t.rule) + " / " + l.output(t.rule, t.output) + l.colon() + l.money(t.base) + " → " +
           l.money(t.head) + (zh ? "，差额 " : ", difference ") + l.signed_money(t.head - t.base) +
           l.unknown_note(t.base_unknown, t.head_unknown) + "\n";

  out += zh ? "\n规则包的改动：\n" : "\nChanges in the pack:\n";
  if (r.pack_changes.empty()) out += zh ? "  （无）\n" : "  (none)\n";
  for (const auto& c : r.pack_changes) {
    out += "  " + l.kind(c.kind) + " " + c.name + l.colon();
    out += c.before.empty() ? (zh ? "新增 " : "added ") + c.after
           : c.after.empty() ? (zh ? "删除 " : "removed ") + c.before
                             : c.before + "  →  " + c.after;
    if (c.at.known()) out += "  (" + c.at.to_string() + ")";
    out += "\n";
  }
  out += zh ? "\n结论改变的材料：\n" : "\nOutcomes that changed:\n";
  if (r.outcomes.empty()) out += zh ? "  （无）\n" : "  (none)\n";
  for (const auto& m : r.outcomes) {
    out += "  " + l.rule(m.rule) + l.colon() + l.change(m) + "  " + l.inputs(m.cases.size()) + l.colon();
    for (std::size_t i = 0; i < m.cases.size() && i < text_limit; ++i)
      out += (i ? (zh ? "、" : ", ") : "") + report::printable(m.cases[i].to_string());
    if (m.cases.size() > text_limit) out += zh ? "……" : ", …";
    out += "\n";
  }
  out += zh ? "\n输出改变的材料：\n" : "\nOutputs that changed:\n";
  if (r.outputs.empty()) out += zh ? "  （无）\n" : "  (none)\n";
  for (std::size_t i = 0; i < r.outputs.size() && i < text_limit; ++i) {
    const auto& c = r.outputs[i];
    out += "  " + l.rule(c.rule) + " / " + l.output(c.rule, c.output) + "  " + report::printable(c.at.to_string()) + l.colon() +
           l.value(c.rule, c.output, c.before) + " → " + l.value(c.rule, c.output, c.after) + "\n";
  }
  if (r.outputs.size() > text_limit)
    out += "  … " + std::to_string(r.outputs.size() - text_limit) + (zh ? " 项未列出（见 --format json/html）\n" : " more (see --format json or html)\n");
  return out;
}

std::string to_json(const DiffReport& r) {
  JsonWriter w;
  auto ref = [&](const CaseRef& c) {
    w.open('{');
    w.field("source", c.source);
    w.number("line", std::to_string(c.line));
    if (!c.id.empty()) w.field("id", c.id);
    if (!c.applicant.empty()) w.field("applicant", c.applicant);
    w.close('}');
  };
  w.open('{');
  w.field("base", r.base);
  w.field("head", r.head);
  w.field("as_of", r.as_of);
  w.number("inputs", std::to_string(r.inputs));
  if (!r.base_hash.empty()) w.field("base_hash", r.base_hash);
  if (!r.head_hash.empty()) w.field("head_hash", r.head_hash);
  static const char* notes[] = {"same_content",    "changed",    "changed_same_version", "same_content_new_version",
                                "different_packs", "rules_alike"};
  w.field("version_note", notes[int(r.version_note)]);
  w.key("pack_changes");
  w.open('[');
  for (const auto& c : r.pack_changes) {
    w.item();
    w.open('{');
    w.field("kind", c.kind);
    w.field("name", c.name);
    w.key("before");
    c.before.empty() ? void(w.out += "null") : w.str(c.before);
    w.key("after");
    c.after.empty() ? void(w.out += "null") : w.str(c.after);
    if (c.at.known()) w.field("at", c.at.to_string());
    w.close('}');
  }
  w.close(']');
  w.key("outcome_changes");
  w.open('[');
  for (const auto& m : r.outcomes) {
    w.item();
    w.open('{');
    w.key("rule");
    m.rule.empty() ? void(w.out += "null") : w.str(m.rule);
    w.field("from", m.from_invalid ? "invalid" : to_string(m.from));
    w.field("to", m.to_invalid ? "invalid" : to_string(m.to));
    w.number("count", std::to_string(m.cases.size()));
    w.key("inputs");
    w.open('[');
    for (const auto& c : m.cases) {
      w.item();
      ref(c);
    }
    w.close(']');
    w.close('}');
  }
  w.close(']');
  w.key("output_changes");
  w.open('[');
  for (const auto& c : r.outputs) {
    w.item();
    w.open('{');
    w.field("rule", c.rule);
    w.field("output", c.output);
    w.key("input");
    ref(c.at);
    w.key("before");
    w.value(c.before);
    w.key("after");
    w.value(c.after);
    w.close('}');
  }
  w.close(']');
  w.key("totals");
  w.open('[');
  for (const auto& t : totals(r)) {
    w.item();
    w.open('{');
    w.field("rule", t.rule);
    w.field("output", t.output);
    w.field("kind", "sum");
    w.number("base", t.base.to_string());
    w.number("head", t.head.to_string());
    w.number("difference", (t.head - t.base).to_string());
    w.number("base_unknown", std::to_string(t.base_unknown));
    w.number("head_unknown", std::to_string(t.head_unknown));
    w.close('}');
  }
  w.close(']');
  w.key("money_impact");
  w.open('[');
  for (const auto& m : r.impact) {
    w.item();
    w.open('{');
    w.field("rule", m.rule);
    w.field("from", m.from_invalid ? "invalid" : to_string(m.from));
    w.field("to", m.to_invalid ? "invalid" : to_string(m.to));
    w.number("count", std::to_string(m.inputs));
    w.number("base", m.base.to_string());
    w.number("head", m.head.to_string());
    w.number("difference", difference(m).to_string());
    w.number("base_unknown", std::to_string(m.base_unknown));
    w.number("head_unknown", std::to_string(m.head_unknown));
    w.close('}');
  }
  w.close(']');
  w.key("invalid");
  w.open('[');
  for (const auto& [c, errors] : r.invalid) {
    w.item();
    w.open('{');
    w.key("input");
    ref(c);
    std::vector<std::string> messages;
    for (const auto& e : errors) messages.push_back((e.json_path.empty() ? "" : e.json_path + ": ") + e.message);
    w.strings("errors", messages);
    w.close('}');
  }
  w.close(']');
  w.close('}');
  return w.out + "\n";
}
namespace {

// The money moved by each change of outcome as horizontal bars from one zero line: gains
// right in green, losses left in red, the amount at the end of the row. Inline SVG, no script.
std::string impact_chart(const DiffReport& r, const Labels& l) {
  auto e = [](std::string_view s) { return markup_escape(s); };
  constexpr int bars_w = 320, value_w = 180, row_h = 30, top = 10;
  std::size_t columns = 0;  // the longest label, in terminal columns (a CJK character is two, ~13px at 13px)
  for (const auto& i : r.impact) columns = std::max(columns, width(l.impact(i) + " · " + l.inputs(i.inputs)));
  const int label_w = 20 + int(columns) * 7;
  Decimal gain, loss;
  for (const auto& i : r.impact) {
    Decimal d = difference(i);
    if (d > Decimal(0)) gain = std::max(gain, d);
    else loss = std::max(loss, d.abs());
  }
  Decimal span = gain + loss;
  auto px = [&](const Decimal& d) { return int(bar_length(d, span, bars_w)); };
  int zero = label_w + (span.is_zero() ? 0 : px(loss));
  int height = top * 2 + row_h * int(r.impact.size());
  std::string title = l.zh ? "金额影响（按发放资金的规则的结论变化）" : "Money impact by change of outcome of the rule that grants it";
  std::string s = "<svg class=chart xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
                  std::to_string(label_w + bars_w + value_w) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                  std::to_string(label_w + bars_w + value_w) + " " + std::to_string(height) + "\" aria-label=\"" + e(title) +
                  "\"><title>" + e(title) + "</title>\n";
  int y = top;
  for (const auto& i : r.impact) {
    Decimal d = difference(i);
    int len = px(d), x = d.is_negative() ? zero - len : zero;
    s += "<text x=\"" + std::to_string(label_w - 10) + "\" y=\"" + std::to_string(y + 19) + "\" text-anchor=\"end\">" +
         e(l.impact(i)) + " · " + e(l.inputs(i.inputs)) + "</text>";
    s += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y + 5) + "\" width=\"" + std::to_string(len) +
         "\" height=\"" + std::to_string(row_h - 10) + "\" fill=\"" + (d.is_negative() ? "#b3261e" : "#2e7d32") + "\"/>";
    s += "<text x=\"" + std::to_string(label_w + bars_w + 8) + "\" y=\"" + std::to_string(y + 19) + "\" class=\"" +
         (d.is_negative() ? "down" : d.is_zero() ? "" : "up") + "\">" + e(l.signed_money(d)) + "</text>\n";
    y += row_h;
  }
  s += "<line x1=\"" + std::to_string(zero) + "\" x2=\"" + std::to_string(zero) + "\" y1=\"" + std::to_string(top - 4) +
       "\" y2=\"" + std::to_string(height - top + 4) + "\" stroke=\"#444\"/></svg>\n";
  return s;
}

}  // namespace

std::string to_html(const DiffReport& r, std::string_view lang) {
  Labels l(r, lang);
  bool zh = l.zh;
  auto e = [](std::string_view s) { return markup_escape(s); };
  auto th = [&](std::initializer_list<std::pair<const char*, const char*>> cols) {
    std::string row = "<tr>";
    for (const auto& [z, en] : cols) row += "<th>" + std::string(zh ? z : en) + "</th>";
    return row + "</tr>\n";
  };
  auto none = [&](int cols) {
    return "<tr><td class=none colspan=" + std::to_string(cols) + ">" + (zh ? "（无）" : "(none)") + "</td></tr>\n";
  };
  std::string title = zh ? "规则变更影响报告" : "Impact of a rule change";
  std::string plan;
  if (r.head_pack) plan = r.head_pack->info().title.get(zh ? "zh" : "en");
  std::string h = std::string("<!DOCTYPE html>\n<html lang=\"") + (zh ? "zh-CN" : "en") + "\"><head><meta charset=\"utf-8\"><title>" +
                  e(title) + " " + e(r.base) + " → " + e(r.head) + "</title>\n"
                  "<style>body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em;max-width:64em;color:#222}"
                  "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}"
                  "table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:.3em .6em;"
                  "text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:"
                  "tabular-nums;white-space:nowrap}td.v{text-align:right;font-variant-numeric:tabular-nums}.none{color:#777}.up{color:#1b5e20;fill:#1b5e20}.down{color:#b3261e;fill:#b3261e}"
                  "td:first-child{white-space:nowrap}code{white-space:pre-wrap;font:.95rem ui-monospace,'DejaVu Sans Mono',monospace}.hash{font-family:monospace;color:#555}"
                  ".warn{border:2px solid #b3261e;background:#fff4e5;padding:.7em 1em;font-weight:bold;margin:1em 0}"
                  ".info{color:#555}svg.chart{font:13px system-ui,'Noto Sans CJK SC',sans-serif;max-width:100%;height:auto}"
                  "@media print{body{margin:0}}</style></head><body>\n";
  h += "<h1>" + e(title) + "</h1>\n";
  if (!plan.empty()) h += "<p>" + e(plan) + "</p>\n";
  h += "<p>" + std::string(zh ? "判定日期 " : "As of ") + e(r.as_of) + (zh ? "，材料 " : ", ") + e(l.inputs(r.inputs));
  h += e(l.refused(r));
  h += "</p>\n<table class=versions>" + th({{"", ""}, {"规则包与版本", "pack and version"}, {"内容哈希", "content hash"}});
  h += std::string("<tr><th>") + (zh ? "原版本" : "base") + "</th><td>" + e(r.base) + "</td><td class=hash>" +
       e(r.base_hash.empty() ? "—" : short_hash(r.base_hash)) + "</td></tr>\n";
  h += std::string("<tr><th>") + (zh ? "新版本" : "head") + "</th><td><b>" + e(r.head) + "</b></td><td class=hash>" +
       e(r.head_hash.empty() ? "—" : short_hash(r.head_hash)) + "</td></tr>\n</table>\n";
  if (auto note = version_note(r, l); !note.empty())
    h += std::string(warns(r) ? "<p class=warn>⚠ " : "<p class=info>") + e(note) + "</p>\n";

  h += std::string("<h2>") + (zh ? "金额影响（按发放资金的规则的结论变化）" : "Money impact by change of outcome of the rule that grants it") + "</h2>\n";
  if (r.impact.empty()) {
    h += std::string("<p class=none>") + (zh ? "（无：没有材料的结论或金额改变）" : "(none: no outcome or amount changed)") + "</p>\n";
  } else {
    h += impact_chart(r, l);
    h += "<table>" + th({{"规则与结论变化", "rule and outcome change"}, {"份数", "applications"}, {"原金额", "base"}, {"新金额", "head"}, {"差额", "difference"}});
    for (const auto& i : r.impact) {
      Decimal d = difference(i);
      h += "<tr><td>" + e(l.impact(i)) + "</td><td class=n>" + std::to_string(i.inputs) + "</td><td class=n>" +
           e(l.money(i.base)) + "</td><td class=n>" + e(l.money(i.head)) + "</td><td class=\"n " +
           (d.is_negative() ? "down"
            : d.is_zero()   ? ""
                            : "up") +
           "\">" + e(l.signed_money(d)) + e(l.unknown_note(i.base_unknown, i.head_unknown)) + "</td></tr>\n";
    }
    h += "</table>\n";
  }

  h += std::string("<h2>") + (zh ? "金额合计（只计金额输出）" : "Totals of the money outputs") + "</h2>\n";
  h += "<table>" + th({{"规则", "rule"}, {"输出", "output"}, {"原版本", "base"}, {"新版本", "head"}, {"差额", "difference"}});
  auto rows = totals(r);
  if (rows.empty()) h += none(5);
  for (const auto& t : rows) {
    Decimal d = t.head - t.base;
    h += "<tr><td>" + e(l.rule(t.rule)) + "</td><td>" + e(l.output(t.rule, t.output)) + "</td><td class=n>" +
         e(l.money(t.base)) + "</td><td class=n>" + e(l.money(t.head)) + "</td><td class=\"n " +
         (d.is_negative() ? "down"
          : d.is_zero()   ? ""
                          : "up") +
         "\">" + e(l.signed_money(d)) + e(l.unknown_note(t.base_unknown, t.head_unknown)) + "</td></tr>\n";
  }
  h += "</table>\n";

  h += std::string("<h2>") + (zh ? "规则包的改动" : "Changes in the pack") + "</h2>\n";
  h += "<table>" + th({{"类别", "kind"}, {"名称", "name"}, {"原", "before"}, {"改为", "after"}, {"位置", "where"}});
  if (r.pack_changes.empty()) h += none(5);
  for (const auto& c : r.pack_changes)
    h += "<tr><td>" + e(l.kind(c.kind)) + "</td><td>" + e(c.name) + "</td><td><code>" + e(c.before) + "</code></td><td><code>" +
         e(c.after) + "</code></td><td>" + e(c.at.to_string()) + "</td></tr>\n";
  h += "</table>\n";

  h += std::string("<h2>") + (zh ? "结论改变的材料" : "Outcomes that changed") + "</h2>\n";
  h += "<table>" + th({{"规则", "rule"}, {"变化", "change"}, {"份数", "count"}, {"材料", "applications"}});
  if (r.outcomes.empty()) h += none(4);
  for (const auto& m : r.outcomes) {
    std::string list;
    for (const auto& c : m.cases) list += (list.empty() ? "" : zh ? "、" : ", ") + e(c.to_string());
    h += "<tr><td>" + e(l.rule(m.rule)) + "</td><td>" + e(l.change(m)) + "</td><td class=n>" +
         std::to_string(m.cases.size()) + "</td><td>" + list + "</td></tr>\n";
  }
  h += "</table>\n";

  h += std::string("<h2>") + (zh ? "输出改变的材料" : "Outputs that changed") + "</h2>\n";
  h += "<table>" + th({{"规则", "rule"}, {"输出", "output"}, {"材料", "application"}, {"原", "before"}, {"改为", "after"}});
  if (r.outputs.empty()) h += none(5);
  for (const auto& c : r.outputs)
    // The rule by its id (its title is in the tables above): lists of amounts need the width.
    h += "<tr><td title=\"" + e(l.rule(c.rule)) + "\">" + e(c.rule) + "</td><td>" + e(l.output(c.rule, c.output)) + "</td><td>" +
         e(c.at.to_string()) + "</td><td class=v>" + e(l.value(c.rule, c.output, c.before)) + "</td><td class=v>" +
         e(l.value(c.rule, c.output, c.after)) + "</td></tr>\n";
  h += "</table>\n";

  if (!r.invalid.empty()) {
    h += zh ? "<h2>无法判定的材料</h2>\n<ul>\n" : "<h2>Applications that could not be decided</h2>\n<ul>\n";
    for (const auto& [c, errors] : r.invalid)
      for (const auto& err : errors)
        h += "<li>" + e(c.to_string()) + ": " + e(err.json_path.empty() ? "" : err.json_path + ": ") + e(err.message) + "</li>\n";
    h += "</ul>\n";
  }
  return h + "<footer class=info>" + e(l.w.generated) + "</footer>\n</body></html>\n";
}

}  // namespace rulebook
