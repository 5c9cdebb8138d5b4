#pragma once
// Long inputs from short ones, so that the fuzzers reach what a mutator rarely builds byte by
// byte within -max_len: chains of 8,000 terms, 100,000 brackets, 200,000-digit numbers, 200,000
// duplicate keys (the crashes and hangs of #14). An input that starts with 0xFE, two count
// bytes, then PREFIX 0xFF UNIT 0xFF MIDDLE 0xFF CLOSE 0xFF SUFFIX becomes
// PREFIX + UNIT×n + MIDDLE + CLOSE×n + SUFFIX, with n up to 131,070 and at most 4 MiB in all
// (larger inputs only measure how fast the instrumented parser reads, against the 10 s timeout);
// any other input is taken as it is.

#include <cstddef>
#include <string>
#include <string_view>

namespace rulebook::fuzz {

inline std::string amplify(std::string_view in) {
  if (in.size() < 3 || in[0] != '\xFE') return std::string(in);
  std::size_t n = ((std::size_t(static_cast<unsigned char>(in[1])) << 8) | static_cast<unsigned char>(in[2])) * 2;
  std::string_view rest = in.substr(3), parts[5];
  for (std::size_t i = 0; i < 5; ++i) {
    std::size_t end = i < 4 ? rest.find('\xFF') : std::string_view::npos;
    parts[i] = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  constexpr std::size_t max_size = 4u << 20;
  std::size_t units = parts[1].size() + parts[3].size();
  if (units && n > max_size / units) n = max_size / units;
  std::string out(parts[0]);
  out.reserve(out.size() + n * units + parts[2].size() + parts[4].size());
  for (std::size_t i = 0; i < n; ++i) out += parts[1];
  out += parts[2];
  for (std::size_t i = 0; i < n; ++i) out += parts[3];
  out += parts[4];
  return out;
}

}  // namespace rulebook::fuzz
