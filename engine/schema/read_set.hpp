#pragma once
// The parts of a document a pack reads: the fields its schema validates and its rules use, and
// where the schema types a value as text. A reader may skip the rest without changing any decision
// (batch's simdjson reader does), and must keep a text place's string a string.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rulebook {

struct ReadSet {
  std::string name;    ///< the member this node reads, in its parent's `fields`
  bool whole = false;  ///< every member and element below is read (scalars are always whole)
  /// The schema types a string here as text: it stays a string though it reads as a date (a
  /// contract numbered "2024-01-01"). Elsewhere a `YYYY-MM-DD` string is a date.
  bool text = false;
  bool has_text = false;  ///< `text` here or below: a reader typing values looks no further otherwise
  std::vector<ReadSet> fields;
  std::unique_ptr<ReadSet> items;  ///< what is read of each element of a list

  ReadSet() = default;
  // INVARIANT: copies and swaps every member (a new one is added here too).
  ReadSet(const ReadSet& o)
      : name(o.name),
        whole(o.whole),
        text(o.text),
        has_text(o.has_text),
        fields(o.fields),
        items(o.items ? std::make_unique<ReadSet>(*o.items) : nullptr) {}
  ReadSet(ReadSet&&) = default;
  ReadSet& operator=(ReadSet o) {  // a copy or a move, swapped in
    name.swap(o.name);
    std::swap(whole, o.whole);
    std::swap(text, o.text);
    std::swap(has_text, o.has_text);
    fields.swap(o.fields);
    items.swap(o.items);
    return *this;
  }

  /// The field `name`, or nullptr when it is not read.
  const ReadSet* field(std::string_view name) const;
  /// What is read of member `name`: its own node when it has one, all of it when this node is
  /// read whole, else nullptr.
  /// INVARIANT: below a node read whole every node is read whole (document_reads makes it so).
  const ReadSet* part(std::string_view member) const {
    const ReadSet* f = field(member);
    return f ? f : reads_all() ? &all() : nullptr;
  }
  /// What is read of each element of a list, likewise.
  const ReadSet* element() const { return items ? items.get() : reads_all() ? &all() : nullptr; }
  /// A part read whole, with no text place in it (those have nodes of their own).
  static const ReadSet& all() {
    static const ReadSet whole_part = [] {
      ReadSet r;
      r.whole = true;
      return r;
    }();
    return whole_part;
  }
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
