// The decision for people, in Chinese (default) or English.

#include "rulebook/decision.hpp"

namespace rulebook {
namespace {

struct Words {
  const char *document, *pack, *as_of, *result, *outputs, *failed, *missing, *items, *error, *citation, *reason,
      *note, *justification;
  const char* outcome[5];  // pass fail needs_info not_applicable error
};

// clang-format off
constexpr Words zh{"文件", "规则包", "评估日期", "结论", "输出", "未满足", "需补充", "逐项", "规则错误", "依据",
                   "原因", "说明", "已说明理由",
                   {"通过", "不通过", "需补充材料", "不适用", "错误"}};
constexpr Words en{"document", "pack", "as of", "result", "outputs", "failed", "missing", "items", "rule error",
                   "citation", "reason", "note", "justified",
                   {"pass", "fail", "needs info", "not applicable", "error"}};
// clang-format on

const char* word(const Words& w, Outcome o) { return w.outcome[static_cast<int>(o)]; }

}  // namespace

std::string to_text(const Decision& d, std::string_view lang) {
  const Words& w = lang == "en" ? en : zh;
  std::string out;
  out += std::string(w.document) + ": " + d.document + "\n";
  out += std::string(w.pack) + ": " + d.pack + " " + d.version + "   " + w.as_of + ": " + d.as_of + "\n";
  out += std::string(w.result) + ": " + word(w, d.outcome) + "\n";
  for (const auto& r : d.rules) {
    out += "\n[" + std::string(word(w, r.outcome)) + "] " + r.id + " " + r.title.get(lang) + "\n";
    if (!r.reason.zh.empty() || !r.reason.en.empty()) out += "  " + std::string(w.reason) + ": " + r.reason.get(lang) + "\n";
    if (!r.justification.empty()) out += "  " + std::string(w.justification) + ": " + r.justification + "\n";
    if (!r.outputs.empty()) {
      out += "  " + std::string(w.outputs) + ":\n";
      for (const auto& [name, v] : r.outputs) out += "    " + name + " = " + v.to_display() + "\n";
    }
    for (const auto& f : r.failed)
      out += "  " + std::string(w.failed) + ": " + f.message.get(lang) + " (" + f.name + ")\n";
    if (!r.missing.empty()) {
      out += "  " + std::string(w.missing) + ":";
      for (const auto& m : r.missing) out += " " + m;
      out += "\n";
    }
    if (!r.items.empty()) {
      out += "  " + std::string(w.items) + ":\n";
      for (const auto& i : r.items) {
        out += "    " + i.key + ": " + word(w, i.outcome);
        std::string sep = " — ";
        if (!i.reason.zh.empty() || !i.reason.en.empty()) out += sep + i.reason.get(lang), sep = "；";
        for (const auto& f : i.failed) out += sep + f.message.get(lang), sep = "；";
        for (const auto& m : i.missing) out += sep + w.missing + " " + m, sep = "；";
        out += "\n";
      }
    }
    if (r.error) out += "  " + std::string(w.error) + ": " + r.error->loc.to_string() + ": " + r.error->message + "\n";
    out += "  " + std::string(w.citation) + ": " + r.citation.document + " " + r.citation.clause + "\n";
    out += "    「" + r.citation.quote + "」\n";
    if (!r.note.empty()) out += "  " + std::string(w.note) + ": " + r.note + "\n";
  }
  return out;
}

}  // namespace rulebook
