#pragma once
// The values rules compute with: exact numbers, dates, strings, booleans, lists,
// objects, null, and unknown (data that was not supplied).

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
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
/// cannot be decided names exactly the data to ask for. Thread-safe to read and copy.
class Value {
 public:
  struct Unknown {
    std::shared_ptr<const std::vector<std::string>> missing;  ///< sorted, unique
  };

  Value() : v_(Unknown{}) {}
  Value(std::nullptr_t) : v_(nullptr) {}
  Value(bool b) : v_(b) {}
  Value(Decimal d) : v_(d) {}
  Value(std::int64_t n) : v_(Decimal(n)) {}
  Value(int n) : v_(Decimal(n)) {}
  Value(Date d) : v_(d) {}
  Value(std::string s) : v_(std::shared_ptr<const std::string>(std::make_shared<std::string>(std::move(s)))) {}
  Value(const char* s) : Value(std::string(s)) {}
  Value(std::shared_ptr<const List> l) : v_(std::move(l)) {}
  Value(std::shared_ptr<const Object> o) : v_(std::move(o)) {}

  static Value list(std::vector<Value> items, std::string path = {});
  static Value object(std::vector<std::pair<std::string, Value>> members, std::string path = {});
  /// Unknown because the data at `path` is missing.
  static Value missing(std::string path);
  /// Unknown because of all the missing paths of `a` and `b` (either may be known).
  static Value unknown_of(const Value& a, const Value& b);

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_unknown() const { return kind() == Kind::unknown; }
  /// Missing paths of an unknown value; empty for known values.
  const std::vector<std::string>& missing_paths() const;

  /// The value as that kind; KindError when it is another.
  bool as_bool() const { return checked<bool>(Kind::boolean); }
  const Decimal& as_number() const { return checked<Decimal>(Kind::number); }
  Date as_date() const { return checked<Date>(Kind::date); }
  const std::string& as_string() const { return *checked<std::shared_ptr<const std::string>>(Kind::string); }
  const List& as_list() const { return *checked<std::shared_ptr<const List>>(Kind::list); }
  const Object& as_object() const { return *checked<std::shared_ptr<const Object>>(Kind::object); }

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
  template <class T>
  const T& checked(Kind k) const {
    if (kind() != k) [[unlikely]]
      throw KindError(k, kind());
    return *std::get_if<T>(&v_);
  }
  // INVARIANT: alternative order matches enum Kind. Strings are shared like lists: a rule
  // reads the same text many times, and copying a Value must not copy it. The nodes are made
  // mutable and held as const, so that the Recycler may write over one that no one else holds.
  std::variant<Unknown, std::nullptr_t, bool, Decimal, Date, std::shared_ptr<const std::string>,
               std::shared_ptr<const List>, std::shared_ptr<const Object>>
      v_;
};

}  // namespace rulebook
