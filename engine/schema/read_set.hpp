#pragma once
// The parts of a document a pack reads: the fields its schema validates and its rules use.
// A reader may skip the rest without changing any decision (batch's simdjson reader does).

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rulebook {

struct ReadSet {
  bool whole = false;  ///< every member and element below is read (scalars are always whole)
  std::vector<std::pair<std::string, ReadSet>> fields;
  std::unique_ptr<ReadSet> items;  ///< what is read of each element of a list

  /// The field `name`, or nullptr when it is not read.
  const ReadSet* field(std::string_view name) const {
    for (const auto& [k, v] : fields)
      if (k == name) return &v;
    return nullptr;
  }
  ReadSet& add_field(std::string_view name) {
    for (auto& [k, v] : fields)
      if (k == name) return v;
    return fields.emplace_back(std::string(name), ReadSet{}).second;
  }
  ReadSet& add_items() {
    if (!items) items = std::make_unique<ReadSet>();
    return *items;
  }
  /// A node that names no member and no element is read whole.
  bool reads_all() const { return whole || (fields.empty() && !items); }
};

}  // namespace rulebook
