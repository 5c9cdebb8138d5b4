#pragma once
// The values of a document a reader builds, in memory reused from one document to the next
// without reference counting. A value in an arena *borrows* its node: copying or dropping it
// touches no count (a shared_ptr without a control block), so the evaluator may copy a
// document's strings, lists and objects as freely as numbers. Only the document's root owns:
// it holds the arena, which lives while any document read into it does. A value that must
// outlive its document (a decision's output) is made owned() first.
//
// INVARIANT: a borrowed value is used only while its document is held, and on the thread that
// holds it; decisions hold none (Evaluator writes outputs through owned()).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/value.hpp"

namespace rulebook {

class ValueArena {
 public:
  /// A string node holding `s`, borrowed.
  Value string(std::string_view s);
  /// An object node to fill: its members and path an earlier document's, to be written over
  /// (their memory kept) and cut to size by the caller.
  Object& object() { return objects_.next(); }
  /// A list node to fill, empty.
  List& list() {
    List& l = lists_.next();
    l.items.clear();
    return l;
  }
  /// Values borrowing nodes this arena gave.
  static Value view(const Object& o) { return Value(std::shared_ptr<const Object>(std::shared_ptr<void>(), &o)); }
  static Value view(const List& l) { return Value(std::shared_ptr<const List>(std::shared_ptr<void>(), &l)); }
  /// The root of a document: it owns `arena`, so the document's values live while it does.
  static Value root(std::shared_ptr<const ValueArena> arena, const Object& o) {
    return Value(std::shared_ptr<const Object>(std::move(arena), &o));
  }

  /// Makes every node free for the next document. Only when no document read into it is held.
  void reset() { strings_.used = lists_.used = objects_.used = 0; }
  /// Whether the nodes grew past what a usual document needs (then the caller starts afresh,
  /// rather than keep one unusually large document's memory for good).
  bool grown() const { return strings_.all.size() + lists_.all.size() + objects_.all.size() > most_nodes; }

  /// `v`, or a copy of it that borrows nothing: the nodes it reaches in an arena copied.
  static Value owned(const Value& v) { return v.kind() < Kind::string ? v : owned_copy(v).value_or(v); }

 private:
  // Rebuilds what borrows, and the lists and objects on the way to it; nullopt: nothing does.
  static std::optional<Value> owned_copy(const Value& v);

  static constexpr std::size_t most_nodes = 1u << 14;
  template <class T>
  struct Nodes {
    std::vector<std::unique_ptr<T>> all;
    std::size_t used = 0;
    T& next() {
      if (used == all.size()) all.push_back(std::make_unique<T>());
      return *all[used++];
    }
  };
  Nodes<std::string> strings_;
  Nodes<List> lists_;
  Nodes<Object> objects_;
};

}  // namespace rulebook
