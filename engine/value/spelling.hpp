#pragma once
// "Did you mean": the one measure of a slip, for misspelt names, keys, outcomes and enum values.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook {

/// Edits in bytes from `a` to `b`, a swap of two neighbours counting as one ("tpye" is one from
/// "type"): the optimal string alignment distance.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), row(b.size() + 1), next(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    next[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      next[j] = std::min({row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        next[j] = std::min(next[j], before[j - 2] + 1);
    }
    std::swap(before, row);
    std::swap(row, next);
  }
  return row[b.size()];
}

/// The candidate nearest to `word` when it is close enough to be a slip (a third of its length,
/// at least 2 edits; 1 below six letters, or "a" would be "if"); empty otherwise.
template <class Range>
std::string nearest(std::string_view word, const Range& candidates) {
  std::string best;
  std::size_t best_d = (word.size() < 6 ? 1 : std::max<std::size_t>(2, word.size() / 3)) + 1;
  for (const auto& c : candidates)
    if (std::size_t d = edit_distance(word, c); d < best_d) best_d = d, best = std::string(c);
  return best;
}

}  // namespace rulebook
