#pragma once
// JSON written by hand rather than through a DOM, so that numbers keep exactly their decimal
// digits and keys come in a stable, documented order. Decisions, summaries and diffs use it.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/decision.hpp"
#include "rulebook/value.hpp"
#include "value/utf8.hpp"

namespace rulebook {

class JsonWriter {
 public:
  explicit JsonWriter(bool one_line = false) : one_line_(one_line) {}
  std::string out;
  bool numbers_as_strings = false;  ///< values' numbers as JSON strings (JsonOptions)

  void str(std::string_view s) {
    out += '"';
    std::size_t plain = 0;  // runs of characters that need no escape are copied at once
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {  // a byte that starts no well-formed UTF-8 sequence (a CSV cell, a file name)
        if (auto cp = decode_utf8(s.substr(i))) {
          i += cp->length - 1;
          continue;
        }
        out.append(s.substr(plain, i - plain));
        plain = i + 1;
        out += "\\ufffd";  // the output stays valid UTF-8
        continue;
      }
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
      case Kind::number:
        if (numbers_as_strings)
          str(v.as_number().to_string());
        else
          out += v.as_number().to_string();
        break;
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

  void number(std::string_view k, std::string_view digits) {
    key(k);
    out += digits;
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

/// A string as a JSON string literal, quotes included.
inline std::string json_quote(std::string_view s) {
  JsonWriter w;
  w.str(s);
  return w.out;
}

}  // namespace rulebook
