#pragma once
// Equality of two short texts without a call to memcmp: member names, enum words and codes
// are a few bytes to a few dozen, compared millions of times per batch (finding a field by
// name, a document's enum word), where the call and its dispatch cost more than the comparison.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace rulebook {

inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char *p = a.data(), *q = b.data();
  auto word = [](const char* at, auto width) {
    decltype(width) w;
    std::memcpy(&w, at, sizeof w);
    return w;
  };
  if (n >= 8) {
    if (n > 16) return std::memcmp(p, q, n) == 0;
    // Two words that overlap in the middle cover 8 to 16 bytes.
    return ((word(p, std::uint64_t{}) ^ word(q, std::uint64_t{})) |
            (word(p + n - 8, std::uint64_t{}) ^ word(q + n - 8, std::uint64_t{}))) == 0;
  }
  if (n >= 4)
    return ((word(p, std::uint32_t{}) ^ word(q, std::uint32_t{})) |
            (word(p + n - 4, std::uint32_t{}) ^ word(q + n - 4, std::uint32_t{}))) == 0;
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

}  // namespace rulebook
