#pragma once
// The keys of one JSON object as they are read, so that a duplicate is refused in linear
// time: a scan while the object is small (most are), a hash set once it is not (a document
// of 200,000 keys took 77 s with the scan alone).

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace rulebook {

/// `Key` is std::string, or std::string_view when the text the keys point into outlives the set.
template <class Key>
class KeySet {
 public:
  /// False when `key` is already in the set.
  bool insert(std::string_view key) {
    if (!large_.empty()) return large_.emplace(key).second;
    if (std::find(small_.begin(), small_.end(), key) != small_.end()) return false;
    small_.emplace_back(key);
    if (small_.size() > small_size) {
      large_.reserve(2 * small_.size());
      for (auto& k : small_) large_.emplace(std::move(k));
      small_.clear();
    }
    return true;
  }
  void clear() {
    small_.clear();
    if (!large_.empty()) large_ = {};  // not clear(): it would keep, and sweep, every bucket each time
  }

 private:
  static constexpr std::size_t small_size = 16;
  std::vector<Key> small_;
  std::unordered_set<Key> large_;
};

}  // namespace rulebook
