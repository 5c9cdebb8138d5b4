// A diff report for people (text, HTML) and machines (JSON). All three say the same, in the
// same order: the pack's changes (the cause), outcomes that moved, outputs that changed, totals.

#include <algorithm>

#include "report/json_writer.hpp"
#include "report/markup.hpp"
#include "rulebook/diff.hpp"

namespace rulebook {
namespace {

// Every rule output with a total under either version: rule, output, base, head.
struct TotalRow {
  std::string rule, output;
  bool boolean = false;
  Decimal base, head;
};

std::vector<TotalRow> totals(const DiffReport& r) {
  std::vector<TotalRow> rows;
  auto add = [&](const Summary& s, bool is_head) {
    for (const auto& rule : s.rules())
      for (const auto& output : rule.outputs) {
        const std::string& name = output.first;
        const Summary::OutputTotal& t = output.second;
        if (!t.known) continue;
        auto it = std::find_if(rows.begin(), rows.end(), [&](auto& x) { return x.rule == rule.id && x.output == name; });
        if (it == rows.end()) it = rows.insert(rows.end(), {rule.id, name, t.boolean, {}, {}});
        (is_head ? it->head : it->base) = t.sum;
      }
  };
  add(r.head_totals, true);
  add(r.base_totals, false);
  return rows;
}

std::string rule_label(const std::string& rule, bool zh) { return rule.empty() ? (zh ? "（整份材料）" : "(document)") : rule; }

std::string display(const Value& v) { return v.is_unknown() ? "unknown" : v.to_display(); }

constexpr std::size_t text_limit = 50;  // individual changes listed in text; JSON and HTML list all

}  // namespace

std::string to_text(const DiffReport& r, std::string_view lang) {
  bool zh = lang != "en";
  std::string out = "rulebook diff: " + r.base + " → " + r.head + (zh ? "，判定日期 " : ", as of ") + r.as_of +
                    (zh ? "，" : ", ") + std::to_string(r.inputs) + (zh ? " 份材料" : " inputs");
  if (!r.invalid.empty()) out += " (" + std::to_string(r.invalid.size()) + (zh ? " 份无法判定)" : " invalid)");
  out += "\n\n";
  out += zh ? "规则包的改动：\n" : "Changes in the pack:\n";
  if (r.pack_changes.empty()) out += zh ? "  （无）\n" : "  (none)\n";
  for (const auto& c : r.pack_changes) {
    out += "  " + c.kind + " " + c.name + ": ";
    out += c.before.empty() ? (zh ? "新增 " : "added ") + c.after
           : c.after.empty() ? (zh ? "删除 " : "removed ") + c.before
                             : c.before + "  →  " + c.after;
    if (c.at.known()) out += "  (" + c.at.to_string() + ")";
    out += "\n";
  }
  out += zh ? "\n结论改变的材料：\n" : "\nOutcomes that changed:\n";
  if (r.outcomes.empty()) out += zh ? "  （无）\n" : "  (none)\n";
  for (const auto& m : r.outcomes) {
    out += "  " + rule_label(m.rule, zh) + ": " + std::string(to_string(m.from)) + " → " + std::string(to_string(m.to)) +
           "  " + std::to_string(m.cases.size()) + (zh ? " 份: " : (m.cases.size() == 1 ? " input: " : " inputs: "));
    for (std::size_t i = 0; i < m.cases.size() && i < text_limit; ++i) out += (i ? ", " : "") + m.cases[i].to_string();
    if (m.cases.size() > text_limit) out += ", …";
    out += "\n";
  }
  out += zh ? "\n输出改变的材料：\n" : "\nOutputs that changed:\n";
  if (r.outputs.empty()) out += zh ? "  （无）\n" : "  (none)\n";
  for (std::size_t i = 0; i < r.outputs.size() && i < text_limit; ++i) {
    const auto& c = r.outputs[i];
    out += "  " + c.rule + " " + c.output + "  " + c.at.to_string() + ": " + display(c.before) + " → " + display(c.after) + "\n";
  }
  if (r.outputs.size() > text_limit)
    out += "  … " + std::to_string(r.outputs.size() - text_limit) + (zh ? " 项未列出（见 --format json/html）\n" : " more (see --format json or html)\n");
  out += zh ? "\n合计（数值输出之和；布尔输出为真的份数）：\n" : "\nTotals (sums of numeric outputs; true counts of boolean ones):\n";
  for (const auto& t : totals(r))
    out += "  " + t.rule + " " + t.output + ": " + t.base.to_string() + " → " + t.head.to_string() +
           (zh ? "  差额 " : "  difference ") + (t.head - t.base).to_string() + "\n";
  return out;
}

std::string to_json(const DiffReport& r) {
  JsonWriter w;
  auto ref = [&](const CaseRef& c) {
    w.open('{');
    w.field("source", c.source);
    w.number("line", std::to_string(c.line));
    if (!c.id.empty()) w.field("id", c.id);
    w.close('}');
  };
  w.open('{');
  w.field("base", r.base);
  w.field("head", r.head);
  w.field("as_of", r.as_of);
  w.number("inputs", std::to_string(r.inputs));
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
    w.field("from", to_string(m.from));
    w.field("to", to_string(m.to));
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
    w.field("kind", t.boolean ? "true_count" : "sum");
    w.number("base", t.base.to_string());
    w.number("head", t.head.to_string());
    w.number("difference", (t.head - t.base).to_string());
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

std::string to_html(const DiffReport& r, std::string_view lang) {
  bool zh = lang != "en";
  auto e = [](std::string_view s) { return markup_escape(s); };
  std::string h = std::string("<!DOCTYPE html>\n<html lang=\"") + (zh ? "zh" : "en") +
                  "\"><head><meta charset=\"utf-8\"><title>rulebook diff " + e(r.base) + " → " + e(r.head) +
                  "</title>\n<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em;max-width:72em;color:#222}"
                  "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;"
                  "text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:"
                  "tabular-nums}td:first-child,td.n{white-space:nowrap}.none{color:#777}.up{color:#0a6b2b}.down{color:#a4161a}code{white-space:pre-wrap}</style></head><body>\n";
  h += "<h1>rulebook diff</h1>\n<p>" + e(r.base) + " → <b>" + e(r.head) + "</b>" + (zh ? "，判定日期 " : ", as of ") +
       e(r.as_of) + (zh ? "，材料 " : ", ") + std::to_string(r.inputs) + (zh ? " 份" : " inputs");
  if (!r.invalid.empty()) h += (zh ? "（无法判定 " : " (") + std::to_string(r.invalid.size()) + (zh ? " 份）" : " invalid)");
  h += "</p>\n";
  const std::string none = std::string("<tr><td class=none colspan=5>") + (zh ? "（无）" : "(none)") + "</td></tr>\n";

  h += zh ? "<h2>规则包的改动</h2>\n" : "<h2>Changes in the pack</h2>\n";
  h += std::string("<table><tr><th>") + (zh ? "类别" : "kind") + "</th><th>" + (zh ? "名称" : "name") + "</th><th>" +
       (zh ? "原" : "before") + "</th><th>" + (zh ? "改为" : "after") + "</th><th>" + (zh ? "位置" : "where") + "</th></tr>\n";
  if (r.pack_changes.empty()) h += none;
  for (const auto& c : r.pack_changes)
    h += "<tr><td>" + e(c.kind) + "</td><td>" + e(c.name) + "</td><td><code>" + e(c.before) + "</code></td><td><code>" +
         e(c.after) + "</code></td><td>" + e(c.at.to_string()) + "</td></tr>\n";
  h += "</table>\n";

  h += zh ? "<h2>合计</h2>\n" : "<h2>Totals</h2>\n";
  h += std::string("<table><tr><th>") + (zh ? "规则" : "rule") + "</th><th>" + (zh ? "输出" : "output") + "</th><th>" +
       (zh ? "原 " : "base ") + e(r.base) + "</th><th>" + (zh ? "改后 " : "head ") + e(r.head) + "</th><th>" +
       (zh ? "差额" : "difference") + "</th></tr>\n";
  for (const auto& t : totals(r)) {
    Decimal d = t.head - t.base;
    std::string cls = d > Decimal(0) ? "up" : d < Decimal(0) ? "down" : "";
    h += "<tr><td>" + e(t.rule) + "</td><td>" + e(t.output) + (t.boolean ? (zh ? "（为真份数）" : " (true count)") : "") +
         "</td><td class=n>" + t.base.to_string() + "</td><td class=n>" + t.head.to_string() + "</td><td class=\"n " + cls +
         "\">" + d.to_string() + "</td></tr>\n";
  }
  h += "</table>\n";

  h += zh ? "<h2>结论改变的材料</h2>\n" : "<h2>Outcomes that changed</h2>\n";
  h += std::string("<table><tr><th>") + (zh ? "规则" : "rule") + "</th><th>" + (zh ? "变化" : "change") + "</th><th>" +
       (zh ? "份数" : "count") + "</th><th>" + (zh ? "材料" : "inputs") + "</th></tr>\n";
  if (r.outcomes.empty()) h += none;
  for (const auto& m : r.outcomes) {
    std::string list;
    for (const auto& c : m.cases) list += (list.empty() ? "" : ", ") + e(c.to_string());
    h += "<tr><td>" + e(rule_label(m.rule, zh)) + "</td><td>" + std::string(to_string(m.from)) + " → " +
         std::string(to_string(m.to)) + "</td><td class=n>" + std::to_string(m.cases.size()) + "</td><td>" + list + "</td></tr>\n";
  }
  h += "</table>\n";

  h += zh ? "<h2>输出改变的材料</h2>\n" : "<h2>Outputs that changed</h2>\n";
  h += std::string("<table><tr><th>") + (zh ? "规则" : "rule") + "</th><th>" + (zh ? "输出" : "output") + "</th><th>" +
       (zh ? "材料" : "input") + "</th><th>" + (zh ? "原" : "before") + "</th><th>" + (zh ? "改为" : "after") + "</th></tr>\n";
  if (r.outputs.empty()) h += none;
  for (const auto& c : r.outputs)
    h += "<tr><td>" + e(c.rule) + "</td><td>" + e(c.output) + "</td><td>" + e(c.at.to_string()) + "</td><td class=n>" +
         e(display(c.before)) + "</td><td class=n>" + e(display(c.after)) + "</td></tr>\n";
  h += "</table>\n";

  if (!r.invalid.empty()) {
    h += zh ? "<h2>无法判定的材料</h2>\n<ul>\n" : "<h2>Inputs that could not be decided</h2>\n<ul>\n";
    for (const auto& [c, errors] : r.invalid)
      for (const auto& err : errors)
        h += "<li>" + e(c.to_string()) + ": " + e(err.json_path.empty() ? "" : err.json_path + ": ") + e(err.message) + "</li>\n";
    h += "</ul>\n";
  }
  return h + "</body></html>\n";
}

}  // namespace rulebook
