#pragma once
// Gathers the unknowns among many values (a list's items, a quantifier's verdicts) in time linear
// in their missing paths. Folding them pairwise with Value::unknown_of copies the growing set at
// every step: quadratic, and a hang on a document with 40,000 transactions that each lack a field.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "rulebook/value.hpp"

namespace rulebook {

class Unknowns {
 public:
  /// Takes the missing paths of `v` if it is unknown; a known value adds nothing.
  void add(const Value& v) {
    if (!v.is_unknown()) return;
    if (!any_) first_ = v;
    else if (!merged_ && v.missing_paths() != first_.missing_paths()) merged_ = true;
    any_ = true;
    const auto& p = v.missing_paths();
    paths_.insert(paths_.end(), p.begin(), p.end());
  }
  explicit operator bool() const { return any_; }
  /// The one unknown standing for all that were added (sorted, unique paths). Precondition: *this.
  Value value() {
    if (!merged_) return first_;  // one unknown, or the same one again: no copy
    std::sort(paths_.begin(), paths_.end());
    paths_.erase(std::unique(paths_.begin(), paths_.end()), paths_.end());
    return Value::unknown(std::move(paths_));
  }

 private:
  bool any_ = false, merged_ = false;
  Value first_;
  std::vector<std::string> paths_;
};

}  // namespace rulebook
