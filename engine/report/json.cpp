// The decision as JSON. Written by hand rather than through a DOM so that numbers are
// printed with exactly their decimal digits, and keys come in a stable, documented order.

#include <cstdio>

#include "report/json_writer.hpp"

namespace rulebook {
namespace {

class Writer : public JsonWriter {
 public:
  using JsonWriter::JsonWriter;

  void failed(const std::vector<FailedCondition>& fs) {
    key("failed");
    open('[');
    for (const auto& f : fs) {
      item();
      open('{');
      field("condition", f.name);
      text("message", f.message);
      key("at");
      loc(f.at);
      close('}');
    }
    close(']');
  }

  void rule(const RuleDecision& r) {
    open('{');
    field("id", r.id);
    text("title", r.title);
    field("severity", to_string(r.severity));
    field("outcome", to_string(r.outcome));
    if (!r.reason.zh.empty() || !r.reason.en.empty()) text("reason", r.reason);
    if (!r.justification.empty()) field("justification", r.justification);
    key("outputs");
    open('{');
    for (const auto& [name, v] : r.outputs) {
      key(name);
      value(v);
    }
    close('}');
    failed(r.failed);
    strings("missing", r.missing);
    if (!r.items.empty()) {
      key("items");
      open('[');
      for (const auto& i : r.items) {
        item();
        open('{');
        field("key", i.key);
        field("outcome", to_string(i.outcome));
        if (!i.reason.zh.empty() || !i.reason.en.empty()) text("reason", i.reason);
        failed(i.failed);
        strings("missing", i.missing);
        close('}');
      }
      close(']');
    }
    if (r.error) {
      key("error");
      open('{');
      field("message", r.error->message);
      key("at");
      loc(r.error->loc);
      if (!r.error->json_path.empty()) field("path", r.error->json_path);
      close('}');
    }
    key("trace");
    open('[');
    for (const auto& t : r.trace) {
      item();
      out += "{\"kind\": ";
      str(t.kind);
      out += ", \"name\": ";
      str(t.name);
      out += ", \"value\": ";
      str(t.value);
      out += '}';
    }
    close(']');
    key("citation");
    open('{');
    field("pack", r.citation.pack);
    field("version", r.citation.version);
    field("document", r.citation.document);
    field("clause", r.citation.clause);
    field("quote", r.citation.quote);
    close('}');
    if (!r.note.zh.empty() || !r.note.en.empty()) text("note", r.note);
    close('}');
  }

  /// A place in a rule file as SourceLoc::to_string spells it, written without building it.
  void loc(const SourceLoc& at) {
    if (!at.known()) return str(at.file);
    out += '"';
    body(at.file);
    out += ':';
    out += std::to_string(at.line);
    out += ':';
    out += std::to_string(at.col);
    out += '"';
  }

  /// Opens the record of one batch input: {"line": n, "id": …, "document": …
  void batch_record(std::size_t line, std::string_view id, std::string_view document) {
    open('{');
    key("line");
    out += std::to_string(line);
    key("id");
    if (id.empty())
      out += "null";
    else
      str(id);
    field("document", document);
  }

  void decision(const Decision& d, bool opened = false) {
    if (!opened) {
      open('{');
      field("document", d.document);
    }
    key("pack");
    out += "{\"id\": ";
    str(d.pack);
    out += ", \"version\": ";
    str(d.version);
    out += '}';
    field("as_of", d.as_of);
    field("outcome", to_string(d.outcome));
    key("rules");
    open('[');
    for (const auto& r : d.rules) {
      item();
      rule(r);
    }
    close(']');
    close('}');
  }

};

}  // namespace

std::string to_json(const Decision& d, const JsonOptions& options) {
  Writer w;
  w.numbers_as_strings = options.numbers_as_strings;
  w.decision(d);
  return w.out + "\n";
}

void append_json_line(std::string& out, const Decision& d, std::size_t line, std::string_view id,
                      const JsonOptions& options) {
  Writer w(true);
  w.out.swap(out);  // written at its end, in its memory
  w.numbers_as_strings = options.numbers_as_strings;
  w.batch_record(line, id, d.document);
  w.decision(d, true);
  w.out += '\n';
  out.swap(w.out);
}

std::string to_json_line(const Decision& d, std::size_t line, std::string_view id, const JsonOptions& options) {
  std::string out;
  out.reserve(4096);  // a decision with reasons and citations takes a few kilobytes
  append_json_line(out, d, line, id, options);
  return out;
}

std::string to_json_line(const std::vector<Error>& errors, std::string_view document, std::size_t line,
                         std::string_view id) {
  Writer w(true);
  w.batch_record(line, id, document);
  w.field("outcome", "invalid");
  w.key("errors");
  w.open('[');
  for (const auto& e : errors) {
    w.item();
    w.open('{');
    w.field("message", e.message);
    if (!e.json_path.empty()) w.field("json_path", e.json_path);
    if (e.loc.known()) {
      w.key("at");
      w.loc(e.loc);
    }
    w.close('}');
  }
  w.close(']');
  w.close('}');
  return w.out + "\n";
}

std::string to_json(const std::vector<Decision>& ds) {
  std::vector<RuleDecision> all;
  for (const auto& d : ds) all.insert(all.end(), d.rules.begin(), d.rules.end());
  Writer w;
  w.open('{');
  w.field("outcome", to_string(outcome_of(all)));
  w.key("decisions");
  w.open('[');
  for (const auto& d : ds) {
    w.item();
    w.decision(d);
  }
  w.close(']');
  w.close('}');
  return w.out + "\n";
}

}  // namespace rulebook
