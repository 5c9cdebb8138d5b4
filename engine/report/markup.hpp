#pragma once
// Text inside XML or HTML (JUnit reports, the diff page): the five special characters escaped,
// the control characters XML 1.0 forbids left out, and bidirectional controls shown as \u202e.

#include <cstdio>
#include <string>
#include <string_view>

namespace rulebook {

/// The embeddings, overrides and isolates of Unicode's bidirectional algorithm: in data they
/// would reorder what a reviewer reads around them (Trojan Source).
constexpr bool is_bidi_control(char32_t c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }

inline std::string markup_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\xE2' && i + 2 < s.size()) {  // U+2000…U+2FFF: a bidirectional control is shown, not obeyed
      char32_t cp = 0x2000 + char32_t((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) +
                    char32_t(static_cast<unsigned char>(s[i + 2]) & 0x3F);
      if ((static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80 &&
          (static_cast<unsigned char>(s[i + 2]) & 0xC0) == 0x80 && is_bidi_control(cp)) {
        char buf[12];
        std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(cp));
        out += buf;
        i += 2;
        continue;
      }
    }
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
    }
  }
  return out;
}

}  // namespace rulebook
