#pragma once
// "Did you mean": the one measure of a slip, for misspelt names, keys, outcomes and enum values.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook {

/// Levenshtein distance in bytes.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

/// The candidate nearest to `word` when it is close enough to be a slip (a third of its length,
/// at least 2 edits); empty otherwise.
template <class Range>
std::string nearest(std::string_view word, const Range& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates)
    if (std::size_t d = edit_distance(word, c); d < best_d) best_d = d, best = std::string(c);
  return best;
}

}  // namespace rulebook
