#pragma once
// The values rules compute with: exact numbers, dates, strings, booleans, lists,
// objects, null, and unknown (data that was not supplied).

#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "rulebook/date.hpp"
#include "rulebook/decimal.hpp"

namespace rulebook {

class Value;

/// A list; `path` is its JSON path when it came from the input ("$.transactions"), else empty.
struct List {
  std::vector<Value> items;
  std::string path;
};

/// An object with its members in input order; `path` as for List.
struct Object {
  std::vector<std::pair<std::string, Value>> members;
  std::string path;
  /// nullptr when the member is absent.
  const Value* find(std::string_view name) const;
};

// INVARIANT: the kinds holding a node (Value::has_node) are unknown and those from string on.
enum class Kind { unknown, null, boolean, number, date, string, list, object };

/// The word for a kind in messages and in the decision JSON ("number", "date", ...).
std::string_view kind_name(Kind k);
/// The same word in Chinese, for messages a reviewer reads ("数字", "日期", ...).
std::string_view kind_name_zh(Kind k);

/// Thrown by Value's as_* when the value is of another kind; says both ("read as number, but
/// it is a string").
class KindError : public std::logic_error {
 public:
  KindError(Kind read_as, Kind is)
      : std::logic_error("rulebook::Value read as " + std::string(kind_name(read_as)) + ", but it is " +
                         std::string(kind_name(is))),
        wanted(read_as),
        actual(is) {}
  Kind wanted, actual;
};

/// An immutable value. Lists and objects are shared, so copies are cheap.
/// Unknown carries the JSON paths whose absence made it unknown, so that a rule that
/// cannot be decided names exactly the data to ask for. Thread-safe to read and copy; but a
/// value of a document batch's reader read borrows its node from the reader (engine/value/arena.hpp)
/// and is valid only while that document is held (a decision's outputs are made owned).
/// A moved-from value is unknown.
class Value {
 public:
  Value() : node_(), kind_(Kind::unknown) {}
  // The union's bytes are all set (a copy copies them all), then the member of the kind.
  Value(std::nullptr_t) : number_(), kind_(Kind::null) {}
  Value(bool b) : number_(), kind_(Kind::boolean) { bool_ = b; }
  Value(Decimal d) : number_(d), kind_(Kind::number) {}
  Value(std::int64_t n) : Value(Decimal(n)) {}
  Value(int n) : Value(Decimal(n)) {}
  Value(Date d) : number_(), kind_(Kind::date) { date_ = d; }
  Value(std::string s) : Value(Kind::string, std::make_shared<const std::string>(std::move(s))) {}
  Value(const char* s) : Value(std::string(s)) {}
  Value(std::shared_ptr<const List> l) : Value(Kind::list, std::move(l)) {}
  Value(std::shared_ptr<const Object> o) : Value(Kind::object, std::move(o)) {}

  Value(const Value& o) : kind_(o.kind_) { copy_from(o); }
  Value(Value&& o) noexcept : kind_(o.kind_) { move_from(o); }
  // `o` may live in this value's own node (v = v.as_list().items[0]): it is taken before the
  // node is let go.
  Value& operator=(const Value& o) {
    if (!has_node() && !o.has_node()) {
      kind_ = o.kind_;
      std::memcpy(static_cast<void*>(&number_), &o.number_, sizeof number_);
    } else if (this != &o) {
      Value taken(o);
      *this = std::move(taken);
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      Value taken(std::move(o));
      drop();
      kind_ = taken.kind_;
      move_from(taken);
    }
    return *this;
  }
  ~Value() { drop(); }

  static Value list(std::vector<Value> items, std::string path = {});
  static Value object(std::vector<std::pair<std::string, Value>> members, std::string path = {});
  /// Unknown because the data at `path` is missing.
  static Value missing(std::string path);
  /// Unknown because of all the missing paths of `a` and `b` (either may be known).
  static Value unknown_of(const Value& a, const Value& b);

  Kind kind() const { return kind_; }
  bool is_unknown() const { return kind() == Kind::unknown; }
  /// Missing paths of an unknown value; empty for known values.
  const std::vector<std::string>& missing_paths() const;

  /// The value as that kind; KindError when it is another.
  bool as_bool() const { return check(Kind::boolean), bool_; }
  const Decimal& as_number() const { return check(Kind::number), number_; }
  Date as_date() const { return check(Kind::date), date_; }
  const std::string& as_string() const { return check(Kind::string), *static_cast<const std::string*>(node_.get()); }
  const List& as_list() const { return check(Kind::list), *static_cast<const List*>(node_.get()); }
  const Object& as_object() const { return check(Kind::object), *static_cast<const Object*>(node_.get()); }

  /// Deep equality of known values (numbers by value: 1.50 == 1.5).
  friend bool operator==(const Value& a, const Value& b);

  /// Short human rendering for traces and messages: 617283.95, 2024-05-01, "text", [1, 2].
  std::string to_display() const;
  /// The same, cut at a whole character before `max_bytes` are passed and followed by "…" (a
  /// message about a document's root must not hold the whole document).
  std::string to_display(std::size_t max_bytes) const;

 private:
  friend class Unknowns;  // builds one unknown from many (engine/value/unknowns.hpp)
  friend class Recycler;  // reuses the nodes of values no one else holds (engine/value/recycler.hpp)
  friend class ValueArena;  // a reader's document values, borrowing their nodes (engine/value/arena.hpp)
  // A node: a text, list or object, or an unknown's missing paths (sorted, unique; none when
  // null). Texts are shared like lists: a rule reads the same text many times, and copying a
  // Value must not copy it. The nodes are made mutable and held as const, so that the Recycler
  // may write over one that no one else holds.
  using Node = std::shared_ptr<const void>;
  // INVARIANT: a node held is not null (drop() skips a null one: it owns nothing).
  Value(Kind k, Node node) : node_(node ? std::move(node) : Node()), kind_(k) {}
  /// Unknown because of the data at `paths` (sorted, unique).
  static Value unknown(std::vector<std::string> paths) {
    return Value(Kind::unknown, std::make_shared<const std::vector<std::string>>(std::move(paths)));
  }
  bool has_node() const { return kind_ == Kind::unknown || kind_ >= Kind::string; }
  void check(Kind k) const {
    if (kind_ != k) [[unlikely]]
      throw KindError(k, kind_);
  }
  // A union made by hand rather than a std::variant: copying or dropping a number is then a few
  // instructions inline, not a call through a table, and the evaluator does millions of them.
  // Scalars are copied as the union's bytes (all trivially copyable; the largest is Decimal).
  // The scalar case inline, the node's reference count out of line (value.cpp).
  void copy_from(const Value& o) {
    if (has_node())
      copy_node(o);
    else
      std::memcpy(static_cast<void*>(&number_), &o.number_, sizeof number_);
  }
  void move_from(Value& o) {
    if (has_node()) {
      new (&node_) Node(std::move(o.node_));
      o.kind_ = Kind::unknown;  // its node is gone: unknown, with no missing paths
    } else {
      std::memcpy(static_cast<void*>(&number_), &o.number_, sizeof number_);
    }
  }
  void drop() {
    if (has_node() && node_) drop_node();  // an unknown without paths (a scratch value) holds none
  }
  void copy_node(const Value& o);
  void drop_node();
  static_assert(sizeof(Decimal) >= sizeof(Node) && sizeof(Decimal) >= sizeof(Date) && sizeof(Decimal) >= sizeof(bool) &&
                std::is_trivially_copyable_v<Decimal> && std::is_trivially_copyable_v<Date>);

  union {
    bool bool_;
    Decimal number_;
    Date date_;
    Node node_;
  };
  Kind kind_;
};

}  // namespace rulebook
