// The decision for people, in Chinese (default) or English, as text: the same words as the
// HTML report (report/present.hpp).

#include <algorithm>
#include <set>

#include "report/present.hpp"

namespace rulebook {
namespace {

using report::Presenter;

}  // namespace

std::string to_text(const Decision& d, std::string_view lang) {
  ReportOptions options;
  options.lang = lang;
  return to_text(d, options);
}

std::string to_text(const Decision& d, const ReportOptions& options) {
  Presenter p(d, options);
  const auto& w = p.w();
  const char* colon = p.lang() == "en" ? ": " : "：";
  std::string out;
  if (auto file = Presenter::document_name(d); !file.empty()) out += std::string(w.document) + ": " + report::printable(file) + "\n";
  out += std::string(w.pack) + ": " + d.pack + " " + d.version + "   " + w.as_of + ": " + d.as_of + "\n";
  if (options.input) {
    Applicant a = applicant_of(*options.input, options.pack);
    if (!a.name.empty()) out += std::string(w.applicant) + ": " + report::printable(a.name) + "\n";
    if (!a.credit_code.empty()) out += std::string(w.credit_code) + ": " + report::printable(a.credit_code) + "\n";
    if (!a.application_id.empty()) out += std::string(w.application) + ": " + report::printable(a.application_id) + "\n";
  }
  out += std::string(w.result) + ": " + std::string(word(w, d.outcome)) + "\n";
  std::vector<std::string> folded;
  std::set<std::string> folded_reasons;
  for (const auto& r : d.rules) {
    if (Presenter::folded(r)) {
      folded.push_back(r.id);
      folded_reasons.insert(r.reason.get(p.lang()));
      continue;
    }
    out += "\n[" + word(w, r) + "] " + r.id + " " + r.title.get(p.lang()) + "\n";
    if (!r.reason.zh.empty() || !r.reason.en.empty()) out += "  " + std::string(w.reason) + ": " + r.reason.get(p.lang()) + "\n";
    if (!r.justification.empty()) out += "  " + std::string(w.justification) + ": " + report::printable(r.justification) + "\n";
    auto columns = Presenter::item_columns(r);
    auto rows = p.rows(r);
    std::set<std::size_t> apart(columns.begin(), columns.end());  // shown by the items, or as rows
    if (rows) {
      apart.insert(rows->names);
      apart.insert(rows->columns.begin(), rows->columns.end());
    }
    if (r.outputs.size() > apart.size() || rows) {
      out += "  " + std::string(w.outputs) + ":\n";
      for (std::size_t i = 0; i < r.outputs.size(); ++i) {
        if (rows && i == rows->names) {  // a line per named element: 专利权质押融资金额: 实际值：320,000,000.00 元；…
          out += "    " + p.output_title(r.id, r.outputs[i].first) + ":\n";
          for (std::size_t k = 0; k < r.outputs[i].second.as_list().items.size(); ++k) {
            out += "      " + p.row_name(r, *rows, k) + ":";
            std::string sep = " ";
            for (std::size_t c : rows->columns)
              out += sep + p.output_title(r.id, r.outputs[c].first) + colon + p.row_value(r, *rows, c, k),
                  sep = p.lang() == "en" ? "; " : "；";
            out += "\n";
          }
        }
        if (apart.contains(i)) continue;
        const auto& [name, v] = r.outputs[i];
        out += "    " + p.output_title(r.id, name) + " = " + p.value(r, name, v) + "\n";
      }
    }
    for (const auto& f : r.failed) out += "  " + std::string(w.failed) + ": " + f.message.get(p.lang()) + "\n";
    if (!r.missing.empty()) {
      out += "  " + std::string(w.missing) + ":";
      std::string sep = " ";
      for (const auto& m : r.missing) out += sep + p.missing(m), sep = p.lang() == "en" ? "; " : "；";
      out += "\n";
    }
    if (!r.items.empty()) {
      out += "  " + std::string(w.items) + ":\n";
      for (std::size_t k = 0; k < r.items.size(); ++k) {
        const auto& i = r.items[k];
        out += "    " + report::printable(i.key) + ": " + std::string(word(w, i.outcome));
        for (std::size_t c : columns) {
          const auto& [name, v] = r.outputs[c];
          out += std::string(p.lang() == "en" ? "; " : "；") + p.output_title(r.id, name) + colon +
                 p.value(r.id, name, v.as_list().items[k]);
        }
        std::string sep = " — ";
        if (!i.reason.zh.empty() || !i.reason.en.empty()) out += sep + i.reason.get(p.lang()), sep = "；";
        for (const auto& f : i.failed) out += sep + f.message.get(p.lang()), sep = "；";
        for (const auto& m : i.missing) out += sep + w.missing + " " + p.missing(m), sep = "；";
        out += "\n";
      }
    }
    if (r.error) out += "  " + std::string(w.error) + ": " + r.error->loc.to_string() + ": " + report::printable(r.error->message) + "\n";
    out += "  " + std::string(w.citation) + ": " + r.citation.document + " " + r.citation.clause + "\n";
    out += "    「" + r.citation.quote + "」\n";
    if (!r.note.zh.empty() || !r.note.en.empty()) out += "  " + std::string(w.note) + ": " + r.note.get(p.lang()) + "\n";
  }
  if (!folded.empty()) {
    out += "\n[" + std::string(w.not_applicable) + "] ";
    for (std::size_t i = 0; i < folded.size(); ++i) out += (i ? (p.lang() == "en" ? ", " : "、") : "") + folded[i];
    if (folded_reasons.size() == 1) out += " — " + *folded_reasons.begin();  // one reason for all: say it once
    out += "\n";
  }
  return out;
}

}  // namespace rulebook
