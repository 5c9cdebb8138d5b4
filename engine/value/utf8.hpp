#pragma once
// UTF-8, decoded in one place: the grammar's Chinese names, the loader's check of rule
// files, and every column and length counted in characters rather than bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rulebook {

struct CodePoint {
  char32_t value;
  std::size_t length;  ///< bytes it takes
};

/// The code point at the start of `s` if it is well-formed UTF-8: no overlong forms, no
/// surrogates, nothing past U+10FFFF (Unicode tables stop there). nullopt otherwise.
inline std::optional<CodePoint> decode_utf8(std::string_view s) {
  if (s.empty()) return std::nullopt;
  auto c = static_cast<unsigned char>(s[0]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || len > s.size()) return std::nullopt;
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[k]);
    if ((cc & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr char32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_length[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return CodePoint{cp, len};
}

/// Whether all of `s` is well-formed UTF-8 as decode_utf8 judges it, checked many bytes at a
/// time (simdjson's validator): for long runs of Chinese text.
bool valid_utf8(std::string_view s);

/// `c` (a code point, not a surrogate) appended to `out` as UTF-8.
inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xF0 | (c >> 18));
    out += char(0x80 | ((c >> 12) & 0x3F));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

/// The byte offset of the first malformed sequence in `s`; nullopt when all is well-formed.
inline std::optional<std::size_t> invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto cp = decode_utf8(s.substr(i));
    if (!cp) return i;
    i += cp->length;
  }
  return std::nullopt;
}

/// Characters in `s` (its UTF-8 lead bytes), for lengths and columns.
inline std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// `s` cut at a character boundary after at most `max_bytes`, "…" marking the cut: data echoed
/// in a message (a key, a number, a date) stays one readable line however long the input is.
inline std::string excerpt(std::string_view s, std::size_t max_bytes = 64) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end)) + "…";
}

/// White space a reader cannot see: ASCII, no-break, the ideographic space U+3000 a Chinese form
/// fills with, and the other Unicode spaces.
inline bool is_space(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
         c == 0xFEFF;
}

/// Empty or only white space (is_space): a justification like that says nothing.
inline bool is_blank(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto cp = decode_utf8(s.substr(i));
    if (!cp || !is_space(cp->value)) return false;
    i += cp->length;
  }
  return true;
}

/// An identifier as two spellings of it compare (a contract's number typed in a form by hand or
/// by a Chinese input method): full-width letters, digits and signs as ASCII (ＪＳ２４－１０７ is
/// JS24-107), dashes as '-', letters in upper case, white space inside as one space and none
/// around. Other characters (Chinese ones) are kept.
inline std::string normalize_id(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;  // white space seen since the last character kept
  for (std::size_t i = 0; i < s.size();) {
    auto cp = decode_utf8(s.substr(i));
    std::size_t length = cp ? cp->length : 1;  // a malformed byte is kept as it is
    std::string_view raw = s.substr(i, length);
    i += length;
    char32_t c = cp ? cp->value : 0xFFFD;
    if (cp && is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (std::exchange(space, false)) out.push_back(' ');
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // the full-width forms of ! … ~
    if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 || c == 0xFE63) c = '-';
    if (c < 0x80)
      out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
    else
      out.append(raw);
  }
  return out;
}

/// `s` without the white space (is_space) around it: a sheet's cell "G1" followed by a no-break
/// space is the id G1, as the reviewer sees it.
inline std::string_view trim_space(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    auto cp = decode_utf8(s.substr(b));
    if (!cp || !is_space(cp->value)) break;
    b += cp->length;
  }
  std::size_t e = s.size();
  while (e > b) {  // back to the last character's lead byte
    std::size_t lead = e - 1;
    while (lead > b && (static_cast<unsigned char>(s[lead]) & 0xC0) == 0x80) --lead;
    auto cp = decode_utf8(s.substr(lead, e - lead));
    if (!cp || cp->length != e - lead || !is_space(cp->value)) break;
    e = lead;
  }
  return s.substr(b, e - b);
}

}  // namespace rulebook
