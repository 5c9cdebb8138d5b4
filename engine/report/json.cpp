// The decision as JSON. Written by hand rather than through a DOM so that numbers are
// printed with exactly their decimal digits, and keys come in a stable, documented order.

#include <cstdio>

#include "rulebook/decision.hpp"

namespace rulebook {
namespace {

class Writer {
 public:
  explicit Writer(bool one_line = false) : one_line_(one_line) {}
  std::string out;

  void str(std::string_view s) {
    out += '"';
    std::size_t plain = 0;  // runs of characters that need no escape are copied at once
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(s.substr(plain, i - plain));
      plain = i + 1;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        }
      }
    }
    out.append(s.substr(plain));
    out += '"';
  }

  void value(const Value& v) {
    switch (v.kind()) {
      case Kind::unknown:
      case Kind::null: out += "null"; break;
      case Kind::boolean: out += v.as_bool() ? "true" : "false"; break;
      case Kind::number: out += v.as_number().to_string(); break;
      case Kind::date: str(v.as_date().to_string()); break;
      case Kind::string: str(v.as_string()); break;
      case Kind::list: {
        out += '[';
        bool first = true;
        for (const auto& item : v.as_list().items) {
          if (!first) out += ", ";
          first = false;
          value(item);
        }
        out += ']';
        break;
      }
      case Kind::object: {
        out += '{';
        bool first = true;
        for (const auto& [k, item] : v.as_object().members) {
          if (!first) out += ", ";
          first = false;
          str(k);
          out += ": ";
          value(item);
        }
        out += '}';
        break;
      }
    }
  }

  // Objects and arrays, one member per line, indented.
  void open(char c) {
    out += c;
    ++depth_;
    first_ = true;
  }
  void close(char c) {
    --depth_;
    if (!first_) newline();  // an empty container stays on one line: []
    out += c;
    first_ = false;
  }
  void key(std::string_view k) {
    item();
    str(k);
    out += ": ";
  }
  void item() {
    if (!first_) out += ',';
    first_ = false;
    newline();
  }

  void text(std::string_view k, const Text& t) {
    key(k);
    out += "{\"zh\": ";
    str(t.zh);
    out += ", \"en\": ";
    str(t.en);
    out += '}';
  }
  void field(std::string_view k, std::string_view v) {
    key(k);
    str(v);
  }
  void strings(std::string_view k, const std::vector<std::string>& v) {
    key(k);
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      str(v[i]);
    }
    out += ']';
  }

  void failed(const std::vector<FailedCondition>& fs) {
    key("failed");
    open('[');
    for (const auto& f : fs) {
      item();
      open('{');
      field("condition", f.name);
      text("message", f.message);
      field("at", f.at.to_string());
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
    if (!r.reason.empty()) field("reason", r.reason);
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
      field("at", r.error->loc.to_string());
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
    if (!r.note.empty()) field("note", r.note);
    close('}');
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

 private:
  void newline() {
    if (one_line_) return;
    out += '\n';
    out.append(std::size_t(depth_) * 2, ' ');
  }
  bool one_line_;
  int depth_ = 0;
  bool first_ = true;
};

}  // namespace

std::string to_json(const Decision& d) {
  Writer w;
  w.decision(d);
  return w.out + "\n";
}

std::string to_json_line(const Decision& d, std::size_t line, std::string_view id) {
  Writer w(true);
  w.batch_record(line, id, d.document);
  w.decision(d, true);
  return w.out + "\n";
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
    if (e.loc.known()) w.field("at", e.loc.to_string());
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
