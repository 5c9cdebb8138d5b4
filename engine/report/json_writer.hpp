#pragma once
// JSON written by hand rather than through a DOM, so that numbers keep exactly their decimal
// digits and keys come in a stable, documented order. Decisions, summaries and diffs use it.

#include <cassert>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "rulebook/decision.hpp"
#include "rulebook/value.hpp"
#include "value/utf8.hpp"

namespace rulebook {

/// Whether the 8 bytes at `p` are all ASCII that a JSON string holds as it is (no control
/// character, quote or backslash): tested a word at a time, as most of a decision is such text.
inline bool plain_ascii8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  std::uint64_t special = w & highs;                 // a byte >= 0x80
  special |= (w - ones * 0x20) & ~w & highs;         // a byte < 0x20 (with no high bit set)
  special |= has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'));
  return special == 0;
}

/// Where the run of bytes from `p` that a JSON string holds as they are ends (plain ASCII, as
/// above): found sixteen bytes at a time where SSE2 is (every x86-64), eight elsewhere.
inline const char* plain_run(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Compared as signed bytes, those >= 0x80 are negative: below 0x20 with the control characters.
    __m128i special = _mm_or_si128(_mm_cmplt_epi8(v, space),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (int mask = _mm_movemask_epi8(special)) return p + __builtin_ctz(unsigned(mask));
    p += 16;
  }
#endif
  while (end - p >= 8 && plain_ascii8(p)) p += 8;
  return p;
}

/// Where the run of bytes from `p` that holds no quote, backslash or control character ends:
/// text, ASCII or not, up to the next byte a JSON string escapes.
inline const char* text_run(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), last_control = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i special = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v),  // v <= 0x1F
                                   _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (int mask = _mm_movemask_epi8(special)) return p + __builtin_ctz(unsigned(mask));
    p += 16;
  }
#endif
  while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
  return p;
}

/// The length of the well-formed UTF-8 sequence at `p` (before `end`), 0 if there is none.
/// Chinese text is three-byte sequences; they are checked here without decoding.
inline std::size_t utf8_sequence(const char* p, const char* end) {
  auto b = [p](int k) { return static_cast<unsigned char>(p[k]); };
  auto cont = [](unsigned char x) { return (x & 0xC0) == 0x80; };
  // E1..EC and EE..EF lead a sequence of three bytes whose every continuation is allowed
  // (E0 would be overlong below A0, ED a surrogate from A0): the common case of CJK text.
  if (end - p >= 3 && b(0) >= 0xE1 && b(0) <= 0xEF && b(0) != 0xED && cont(b(1)) && cont(b(2))) return 3;
  auto cp = decode_utf8({p, std::size_t(end - p)});
  return cp ? cp->length : 0;
}

/// A member's name. One written in our code is a literal, checked plain at compile time and
/// copied as it is; one from data (an output's name) is escaped.
class JsonKey {
 public:
  template <std::size_t N>
  consteval JsonKey(const char (&k)[N]) : name_(k, N - 1), literal_(true) {
    for (std::size_t i = 0; i + 1 < N; ++i)
      if (k[i] < 0x20 || k[i] == '"' || k[i] == '\\') throw "a literal key must need no escaping";
  }
  JsonKey(std::string_view k) : name_(k) {}
  JsonKey(const std::string& k) : name_(k) {}
  std::string_view name() const { return name_; }
  bool literal() const { return literal_; }

 private:
  std::string_view name_;
  bool literal_ = false;
};

class JsonWriter {
 public:
  explicit JsonWriter(bool one_line = false) : one_line_(one_line) {}
  std::string out;
  bool numbers_as_strings = false;  ///< values' numbers as JSON strings (JsonOptions)

  void str(std::string_view s) {
    out += '"';
    body(s);
    out += '"';
  }

  /// A string's characters as a JSON string holds them, without its quotes.
  void body(std::string_view s) {
    const char* p = s.data();
    const char* const end = p + s.size();
    const char* plain = p;  // runs of characters that need no escape are copied at once
    while (p < end) {
      if ((p = plain_run(p, end)) == end) break;
      auto c = static_cast<unsigned char>(*p);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++p;
        continue;
      }
      if (c >= 0x80) {
        // Text up to the next byte to escape, most often Chinese: well-formed as a whole (the
        // common case, checked many bytes at a time), it is copied as it is.
        if (const char* run = text_run(p, end); valid_utf8({p, std::size_t(run - p)})) {
          p = run;
          continue;
        }
        if (std::size_t n = utf8_sequence(p, end)) {
          p += n;
          continue;
        }
        // A byte that starts no well-formed UTF-8 sequence (a CSV cell, a file name): the
        // output stays valid UTF-8.
        out.append(plain, std::size_t(p - plain));
        plain = ++p;
        out += "\\ufffd";
        continue;
      }
      out.append(plain, std::size_t(p - plain));
      plain = ++p;
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
    out.append(plain, std::size_t(p - plain));
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
  void key(JsonKey k) {
    std::string_view name = k.name();
    if (k.literal() && one_line_ && name.size() <= 40) {  // the common case, in one append
      char buf[48];
      std::size_t n = 0;
      if (!first_) buf[n++] = ',';
      first_ = false;
      buf[n++] = '"';
      std::memcpy(buf + n, name.data(), name.size());
      n += name.size();
      std::memcpy(buf + n, "\": ", 3);
      out.append(buf, n + 3);
      return;
    }
    item();
    str(name);
    out += ": ";
  }
  void item() {
    if (!first_) out += ',';
    first_ = false;
    newline();
  }

  void text(JsonKey k, const Text& t) {
    key(k);
    text_value(t);
  }
  void text_value(const Text& t) {
    out += "{\"zh\": ";
    str(t.zh);
    out += ", \"en\": ";
    str(t.en);
    out += '}';
  }
  void field(JsonKey k, std::string_view v) {
    key(k);
    str(v);
  }
  void strings(JsonKey k, const std::vector<std::string>& v) {
    key(k);
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      str(v[i]);
    }
    out += ']';
  }

  void number(JsonKey k, std::string_view digits) {
    key(k);
    out += digits;
  }

 protected:
  /// Appends `json`, written earlier by a writer on one line from the same state, which opened
  /// `opened` containers more than it closed (fewer: negative) and left `first` as given.
  void copied(std::string_view json, int opened, bool first) {
    assert(one_line_);  // else the copy's line breaks and indents would depend on where it goes
    out += json;
    depth_ += opened;
    first_ = first;
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
