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
  std::string name;    ///< the member this node reads, in its parent's `fields`
  bool whole = false;  ///< every member and element below is read (scalars are always whole)
  std::vector<ReadSet> fields;
  std::unique_ptr<ReadSet> items;  ///< what is read of each element of a list

  ReadSet() = default;
  // INVARIANT: copies and swaps every member (a new one is added here too).
  ReadSet(const ReadSet& o)
      : name(o.name),
        whole(o.whole),
        fields(o.fields),
        items(o.items ? std::make_unique<ReadSet>(*o.items) : nullptr) {}
  ReadSet(ReadSet&&) = default;
  ReadSet& operator=(ReadSet o) {  // a copy or a move, swapped in
    name.swap(o.name);
    std::swap(whole, o.whole);
    fields.swap(o.fields);
    items.swap(o.items);
    return *this;
  }

  /// The field `name`, or nullptr when it is not read.
  const ReadSet* field(std::string_view name) const;
  ReadSet& add_field(std::string_view name);
  ReadSet& add_items();
  /// A node that names no member and no element is read whole.
  bool reads_all() const { return whole || (fields.empty() && !items); }
};

inline const ReadSet* ReadSet::field(std::string_view member) const {
  for (const auto& f : fields)
    if (f.name == member) return &f;
  return nullptr;
}
inline ReadSet& ReadSet::add_field(std::string_view member) {
  for (auto& f : fields)
    if (f.name == member) return f;
  ReadSet& f = fields.emplace_back();
  f.name = member;
  return f;
}
inline ReadSet& ReadSet::add_items() {
  if (!items) items = std::make_unique<ReadSet>();
  return *items;
}

}  // namespace rulebook
