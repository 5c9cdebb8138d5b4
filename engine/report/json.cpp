// The decision as JSON. Written by hand rather than through a DOM so that numbers are
// printed with exactly their decimal digits, and keys come in a stable, documented order.

#include <algorithm>
#include <cstdio>

#include "report/json_lines.hpp"
#include "report/json_writer.hpp"

namespace rulebook {
namespace {

using detail::JsonLineMemo;

bool same(const Text& a, const Text& b) { return a.zh == b.zh && a.en == b.en; }
bool same(const Citation& a, const Citation& b) {
  return a.pack == b.pack && a.version == b.version && a.document == b.document && a.clause == b.clause &&
         a.quote == b.quote;
}
bool same(const FailedCondition& a, const FailedCondition& b) {
  return a.name == b.name && same(a.message, b.message) && a.at.file == b.at.file && a.at.line == b.at.line &&
         a.at.col == b.at.col;
}
bool same(const TraceEntry& a, const TraceEntry& b) {
  return a.kind == b.kind && a.name == b.name && a.value == b.value;
}
template <class T>
bool same(const std::vector<T>& a, const std::vector<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const T& x, const T& y) { return same(x, y); });
}
// Whether two decisions on a rule have the same record but for their outputs (items and an
// error aside: a record with either is not kept). The cheap and the varying first.
bool same_frame(const RuleDecision& a, const RuleDecision& b) {
  return a.outcome == b.outcome && a.severity == b.severity && a.id == b.id && same(a.failed, b.failed) &&
         a.missing == b.missing && same(a.trace, b.trace) && same(a.reason, b.reason) &&
         a.justification == b.justification && same(a.title, b.title) && same(a.citation, b.citation) &&
         same(a.note, b.note);
}

class Writer : public JsonWriter {
 public:
  using JsonWriter::JsonWriter;
  JsonLineMemo::Rule* memo = nullptr;  ///< the rule being written's, in JSON Lines (where depth writes nothing)

  // Writes `source` as write(source) would; with a memo, copies what was written of the same
  // source before, or keeps what is written now for the next time.
  template <class Source, class Write>
  void reused(JsonLineMemo::Written<Source>* kept, const Source& source, Write&& write) {
    if (!kept) return write(source);
    if (!kept->json.empty() && same(kept->source, source)) {
      out += kept->json;
      return;
    }
    std::size_t from = out.size();
    write(source);
    kept->source = source;
    kept->json.assign(out, from);
  }

  void failed(const std::vector<FailedCondition>& fs) {
    key("failed");
    open('[');
    for (const auto& f : fs) {
      item();
      reused(memo ? failed_memo(f) : nullptr, f, [&](const FailedCondition& c) {
        open('{');
        field("condition", c.name);
        text("message", c.message);
        key("at");
        loc(c.at);
        close('}');
      });
    }
    close(']');
  }

  // Where condition `f`'s text is kept: by its name, among a few.
  JsonLineMemo::Written<FailedCondition>* failed_memo(const FailedCondition& f) {
    for (auto& kept : memo->failed)
      if (kept.source.name == f.name) return &kept;
    if (memo->failed.size() >= JsonLineMemo::most_failed) return nullptr;
    return &memo->failed.emplace_back();
  }

  // Where the record of `r` but its outputs is kept, written or to be; null when it is not kept.
  JsonLineMemo::Frame* frame_memo(const RuleDecision& r) {
    if (!r.items.empty() || r.error || !r.trace.empty()) return nullptr;  // these vary from one record to the next
    for (auto& kept : memo->frames)
      if (same_frame(kept.source, r)) return &kept;
    if (memo->frames.size() >= JsonLineMemo::most_frames) return nullptr;
    auto& kept = memo->frames.emplace_back();
    kept.source = r;
    kept.source.outputs.clear();
    return &kept;
  }

  void rule(const RuleDecision& r) {
    JsonLineMemo::Frame* frame = memo ? frame_memo(r) : nullptr;
    if (frame && !frame->before.empty()) {  // the same record as before but for the outputs
      copied(frame->before, 2, true);       // the rule's object and its outputs' opened
      outputs(r);
      copied(frame->after, -2, false);
      return;
    }
    const std::size_t start = out.size();
    open('{');
    field("id", r.id);
    key("title");
    reused(memo ? &memo->title : nullptr, r.title, [&](const Text& t) { text_value(t); });
    field("severity", to_string(r.severity));
    field("outcome", to_string(r.outcome));
    if (!r.reason.zh.empty() || !r.reason.en.empty()) text("reason", r.reason);
    if (!r.justification.empty()) field("justification", r.justification);
    key("outputs");
    open('{');
    const std::size_t before = out.size();
    outputs(r);
    const std::size_t after = out.size();
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
    reused(memo ? &memo->citation : nullptr, r.citation, [&](const Citation& c) {
      open('{');
      field("pack", c.pack);
      field("version", c.version);
      field("document", c.document);
      field("clause", c.clause);
      field("quote", c.quote);
      close('}');
    });
    if (!r.note.zh.empty() || !r.note.en.empty()) {
      key("note");
      reused(memo ? &memo->note : nullptr, r.note, [&](const Text& t) { text_value(t); });
    }
    close('}');
    if (frame) {
      frame->before.assign(out, start, before - start);
      frame->after.assign(out, after);
    }
  }

  // The members of a rule's outputs.
  void outputs(const RuleDecision& r) {
    for (const auto& [name, v] : r.outputs) {
      key(name);
      value(v);
    }
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

  void decision(const Decision& d, bool opened = false, JsonLineMemo* memos = nullptr) {
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
    if (memos && memos->rules.size() < d.rules.size()) memos->rules.resize(d.rules.size());
    for (std::size_t i = 0; i < d.rules.size(); ++i) {
      item();
      memo = memos ? &memos->rules[i] : nullptr;
      rule(d.rules[i]);
    }
    memo = nullptr;
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

namespace {

void write_json_line(std::string& out, const Decision& d, std::size_t line, std::string_view id,
                     const JsonOptions& options, JsonLineMemo* memo) {
  Writer w(true);
  w.out.swap(out);  // written at its end, in its memory
  w.numbers_as_strings = options.numbers_as_strings;
  w.batch_record(line, id, d.document);
  w.decision(d, true, memo);
  w.out += '\n';
  out.swap(w.out);
}

}  // namespace

void append_json_line(std::string& out, const Decision& d, std::size_t line, std::string_view id,
                      const JsonOptions& options) {
  write_json_line(out, d, line, id, options, nullptr);
}

void detail::append_json_line(std::string& out, const Decision& d, std::size_t line, std::string_view id,
                              const JsonOptions& options, JsonLineMemo& memo) {
  write_json_line(out, d, line, id, options, &memo);
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
