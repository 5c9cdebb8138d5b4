#include "check/functions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "value/credit_code.hpp"
#include "value/unknowns.hpp"
#include "value/utf8.hpp"

namespace rulebook::ir {

std::string_view type_name(TypeKind k) {
  switch (k) {
    case TypeKind::any: return "any";
    case TypeKind::boolean: return "boolean";
    case TypeKind::number: return "number";
    case TypeKind::date: return "date";
    case TypeKind::string: return "string";
    case TypeKind::list: return "list";
    case TypeKind::object: return "object";
    case TypeKind::null: return "null";
  }
  return "?";
}

bool text_contains(std::string_view text, std::string_view part) {
  return part.empty() ||
         ::memmem(text.data(), text.size(), part.data(), part.size()) != nullptr;  // glibc: two-way, linear
}

const Value& element(const List& list, std::size_t i, Value& scratch) {
  const Value& v = list.items[i];
  if (v.kind() != Kind::null || list.path.empty()) return v;
  return scratch = Value::missing(list.path + "[" + std::to_string(i) + "]");
}

Value equal(const Value& a, const Value& b) {
  if (a.is_unknown() || b.is_unknown()) return Value::unknown_of(a, b);
  if (a.kind() != b.kind() && a.kind() != Kind::null && b.kind() != Kind::null) throw KindMismatch{a, b};
  if (a.kind() != b.kind() || (a.kind() != Kind::list && a.kind() != Kind::object)) return Value(a == b);
  Unknowns open;
  auto differs = [&](const Value& x, const Value& y) {  // a known difference decides
    Value r = equal(x, y);
    if (r.is_unknown()) open.add(r);
    return !r.is_unknown() && !r.as_bool();
  };
  if (a.kind() == Kind::list) {
    const List &x = a.as_list(), &y = b.as_list();
    if (x.items.size() != y.items.size()) return Value(false);
    Value sx, sy;
    for (std::size_t i = 0; i < x.items.size(); ++i)
      if (differs(element(x, i, sx), element(y, i, sy))) return Value(false);
  } else {
    // Members by name, in linear time: documents mostly keep one order, and a name out of place is
    // looked up in an index of the other's names (a search per member made 80,000 take 16 s).
    const Object &x = a.as_object(), &y = b.as_object();
    std::unordered_map<std::string_view, std::size_t> x_index, y_index;
    auto at = [](const Object& o, std::unordered_map<std::string_view, std::size_t>& index, std::size_t i,
                 const std::string& name) -> const Value* {
      if (i < o.members.size() && o.members[i].first == name) return &o.members[i].second;
      if (index.empty())
        for (std::size_t k = 0; k < o.members.size(); ++k) index.emplace(o.members[k].first, k);
      auto it = index.find(name);
      return it == index.end() ? nullptr : &o.members[it->second].second;
    };
    auto read = [](const Object& o, const Value* v, const std::string& name) {  // null or absent: missing
      if (v && v->kind() != Kind::null) return *v;
      return o.path.empty() ? Value(nullptr) : Value::missing(o.path + "." + name);
    };
    for (std::size_t i = 0; i < x.members.size(); ++i) {
      const std::string& name = x.members[i].first;
      if (differs(read(x, &x.members[i].second, name), read(y, at(y, y_index, i, name), name))) return Value(false);
    }
    for (std::size_t i = 0; i < y.members.size(); ++i) {
      const std::string& name = y.members[i].first;
      if (!at(x, x_index, i, name) && differs(read(x, nullptr, name), read(y, &y.members[i].second, name)))
        return Value(false);
    }
  }
  return open ? open.value() : Value(true);
}

namespace {

std::string got(const Value& v) { return std::string(kind_name(v.kind())) + " " + excerpt(v.to_display(), 100); }

template <typename T, Kind K>
const T& need(Args& a, std::size_t i, const T& (Value::*as)() const, const char* what) {
  const Value& v = a.get(i);
  if (v.kind() != K) a.fail(i, std::string("expected ") + what + ", got " + got(v));
  return (v.*as)();
}

}  // namespace

const Decimal& Args::number(std::size_t i) {
  return need<Decimal, Kind::number>(*this, i, &Value::as_number, "a number");
}
const std::string& Args::string(std::size_t i) {
  return need<std::string, Kind::string>(*this, i, &Value::as_string, "a string");
}
const List& Args::list(std::size_t i) { return need<List, Kind::list>(*this, i, &Value::as_list, "a list"); }
Date Args::date(std::size_t i) {
  const Value& v = get(i);
  if (v.kind() != Kind::date) fail(i, "expected a date, got " + got(v));
  return v.as_date();
}
bool Args::boolean_result(std::size_t lambda, std::size_t k, const Value& v) {
  if (v.kind() != Kind::boolean) fail_item(lambda, k, "expected the function to give true or false, got " + got(v));
  return v.as_bool();
}

namespace {

std::int64_t whole(Args& a, std::size_t i, std::int64_t lo, std::int64_t hi) {
  auto n = a.number(i).to_int64();
  if (!n || *n < lo || *n > hi)
    a.fail(i, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                  a.number(i).to_string());
  return *n;
}

// Unknown if any value is; otherwise nullopt.
std::optional<Value> any_unknown(const std::vector<Value>& values) {
  Unknowns u;
  for (const auto& v : values) u.add(v);
  if (!u) return std::nullopt;
  return u.value();
}

}  // namespace

std::size_t shared_size(const Value& v) {
  switch (v.kind()) {
    case Kind::string: return v.as_string().size();
    case Kind::list: {
      std::size_t n = v.as_list().items.size() * sizeof(Value);
      for (const auto& item : v.as_list().items) n += shared_size(item);
      return n;
    }
    case Kind::object: {
      std::size_t n = 0;
      for (const auto& [name, member] : v.as_object().members) n += sizeof(Value) + name.size() + shared_size(member);
      return n;
    }
    default: return 0;
  }
}

namespace {

// List argument i, its iteration charged: what a function that goes through it reads.
const List& iterated(Args& a, std::size_t i) {
  const List& l = a.list(i);
  a.iterate(l.items.size());
  return l;
}

std::vector<Value> elements(Args& a, std::size_t i) {
  const List& l = iterated(a, i);
  std::vector<Value> out;
  out.reserve(l.items.size());
  Value scratch;
  for (std::size_t k = 0; k < l.items.size(); ++k) out.push_back(element(l, k, scratch));
  return out;
}

std::vector<Value> mapped(Args& a, const std::vector<Value>& items, std::size_t lambda) {
  a.produce(items.size() * sizeof(Value));
  std::vector<Value> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    out.push_back(a.apply(lambda, {&item, 1}));
    a.produce(shared_size(out.back()));
  }
  return out;
}

int compare(Args& a, std::size_t at, const Value& x, const Value& y) {
  if (x.kind() == Kind::number && y.kind() == Kind::number) {
    auto c = x.as_number() <=> y.as_number();
    return c < 0 ? -1 : c > 0;
  }
  if (x.kind() == Kind::date && y.kind() == Kind::date)
    return x.as_date() < y.as_date() ? -1 : x.as_date() > y.as_date();
  if (x.kind() == Kind::string && y.kind() == Kind::string) return x.as_string().compare(y.as_string());
  a.fail(at, "cannot order " + got(x) + " and " + got(y));
  __builtin_unreachable();  // fail() throws; GCC does not see through the virtual call
}

// The least or greatest of n values, value(i) the i-th: unknown if any is.
template <class ValueAt>
Value extreme_of(Args& a, std::size_t n, ValueAt value, bool want_max) {
  if (n == 0) a.fail(0, "no values to choose from (an empty list)");
  Unknowns unknown;
  for (std::size_t i = 0; i < n; ++i) unknown.add(value(i));
  if (unknown) return unknown.value();
  const Value* best = &value(0);
  for (std::size_t i = 0; i < n; ++i)
    if (compare(a, 0, value(i), *best) * (want_max ? 1 : -1) > 0) best = &value(i);
  return *best;
}

// Of a list's elements, or of the arguments themselves (min(0, x): no list built).
Value extreme(Args& a, bool want_max) {
  if (a.size() > 1) return extreme_of(a, a.size(), [&](std::size_t i) -> const Value& { return a.get(i); }, want_max);
  std::vector<Value> values = elements(a, 0);
  return extreme_of(a, values.size(), [&](std::size_t i) -> const Value& { return values[i]; }, want_max);
}

Value fn_min(Args& a) { return extreme(a, false); }
Value fn_max(Args& a) { return extreme(a, true); }
Value fn_abs(Args& a) { return a.number(0).abs(); }
Value fn_round(Args& a) {
  int places = a.size() > 1 ? int(whole(a, 1, -Decimal::max_digits, Decimal::max_scale)) : 0;
  return a.number(0).round(places);
}

// What a function applied to every element gave, gathered as the elements go, so that count,
// filter, any and all build no list of elements nor of results. The answer is as if every
// result were known first: unknown if any is, else the first result that is not a boolean is
// the error.
struct Verdicts {
  Unknowns unknown;
  std::optional<Value> odd;  ///< the first known result that is not a boolean
  std::size_t odd_at = 0;    ///< the element it is of

  /// Whether `r`, the result for element k, is true; false too when it is unknown or no boolean
  /// (the caller asks finish()).
  bool take(Value r, std::size_t k) {
    if (r.is_unknown()) {
      unknown.add(r);
    } else if (r.kind() != Kind::boolean) {
      if (!odd) {
        odd = std::move(r);
        odd_at = k;
      }
    } else {
      return r.as_bool();
    }
    return false;
  }
  /// The unknown standing for the open results, or nullopt when all were known booleans.
  std::optional<Value> finish(Args& a, std::size_t lambda) {
    if (unknown) return unknown.value();
    if (odd) a.boolean_result(lambda, odd_at, *odd);  // throws
    return std::nullopt;
  }
};

// How many elements of argument 0 the lambda (argument 1) holds for, charged as elements() and
// mapped() charge: the iteration, then the list of results. `as_filtered`: as count(filter(xs, p))
// is charged, which the lowering runs as this (fused_call): then also the list filter would have
// built and count's walk of it.
Value count_where(Args& a, bool as_filtered) {
  const List& l = iterated(a, 0);
  a.produce(l.items.size() * sizeof(Value));
  Verdicts verdicts;
  std::int64_t n = 0;
  Value scratch;
  for (std::size_t k = 0; k < l.items.size(); ++k) n += verdicts.take(a.apply(1, {&element(l, k, scratch), 1}), k);
  if (auto open = verdicts.finish(a, 1)) return *open;
  if (as_filtered) {
    a.produce(std::size_t(n) * sizeof(Value));
    a.iterate(std::size_t(n));
  }
  return Value(n);
}

Value fn_count(Args& a) {
  if (a.size() == 1) return Value(std::int64_t(iterated(a, 0).items.size()));
  return count_where(a, false);
}
Value fn_count_of_filter(Args& a) { return count_where(a, true); }

Value fn_sum(Args& a) {
  auto items = elements(a, 0);
  if (a.size() > 1) items = mapped(a, items, 1);
  if (auto u = any_unknown(items)) return *u;
  DecimalSum total;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (items[k].kind() != Kind::number) a.fail_item(a.size() - 1, k, "sum needs numbers, got " + got(items[k]));
    total.add(items[k].as_number());
  }
  return total.total();
}

// Three-valued: any is true if one is true, else unknown if one is unknown; all dually.
Value quantifier(Args& a, bool is_any) {
  const List& l = iterated(a, 0);
  Unknowns unknown;
  Value scratch;
  for (std::size_t k = 0; k < l.items.size(); ++k) {
    Value r = a.apply(1, {&element(l, k, scratch), 1});
    if (r.is_unknown())
      unknown.add(r);
    else if (a.boolean_result(1, k, r) == is_any)
      return Value(is_any);
  }
  return unknown ? unknown.value() : Value(!is_any);
}
Value fn_any(Args& a) { return quantifier(a, true); }
Value fn_all(Args& a) { return quantifier(a, false); }

Value fn_filter(Args& a) {
  const List& l = iterated(a, 0);
  a.produce(l.items.size() * sizeof(Value));
  Verdicts verdicts;
  std::shared_ptr<List> out = a.new_list();
  out->items.reserve(l.items.size());  // at most one allocation, as charged above
  Value scratch;
  for (std::size_t k = 0; k < l.items.size(); ++k)
    if (verdicts.take(a.apply(1, {&element(l, k, scratch), 1}), k)) out->items.push_back(l.items[k]);
  if (auto open = verdicts.finish(a, 1)) return *open;
  a.produce(out->items.size() * sizeof(Value));
  return Value(std::shared_ptr<const List>(std::move(out)));
}

Value fn_map(Args& a) { return Value::list(mapped(a, elements(a, 0), 1)); }

// DS-01: grants each amount, in the order of its key (ties keep input order), up to what
// is left of the cap; with `places`, shares are differences of the rounded running total,
// so they add up to the rounded total and never pass the cap.
// An unknown amount or key (a transaction whose eligibility is open) leaves unknown only the
// shares it could change: those it might come before, unless the cap is spent before them.
// One sort and two merged walks: O(n log n) plus the missing paths the open shares carry.
Value fn_allocate(Args& a) {
  Unknowns whole_args;  // a whole argument unknown (the list, the keys): nothing is known
  for (std::size_t i = 0; i < a.size(); ++i) whole_args.add(a.get(i));
  const bool cap_alone = a.get(1).is_unknown() && !a.get(0).is_unknown() && !a.get(2).is_unknown() &&
                         (a.size() < 4 || !a.get(3).is_unknown());
  if (whole_args && !cap_alone) return whole_args.value();
  auto amounts = elements(a, 0);
  auto keys = elements(a, 2);
  if (amounts.size() != keys.size())
    a.fail(2, "expected one key per amount: " + std::to_string(amounts.size()) + " amounts, " +
                  std::to_string(keys.size()) + " keys");
  std::optional<int> places;
  if (a.size() > 3) places = int(whole(a, 3, 0, Decimal::max_scale));
  a.produce(amounts.size() * sizeof(Value));
  // order: known amount and key, in granting order; keyed: open with a known key, in that order
  // too (both by key, then position); unkeyed: open with an unknown key, which may come first.
  // An amount of 0 or less (a refused element) is granted 0 whatever the cap and its key are, and
  // comes before nothing it could reduce: it is in none of these.
  std::vector<std::size_t> order, keyed, unkeyed;
  const Decimal zero = places ? Decimal(0).round(*places) : Decimal(0);
  std::vector<Value> shares(amounts.size());
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    if (!amounts[i].is_unknown() && amounts[i].kind() != Kind::number)
      a.fail_item(0, i, "allocate needs numbers, got " + got(amounts[i]));
    if (!amounts[i].is_unknown() && !(Decimal(0) < amounts[i].as_number()))
      shares[i] = zero;
    else
      (keys[i].is_unknown() ? unkeyed : amounts[i].is_unknown() ? keyed : order).push_back(i);
  }
  if (cap_alone) {  // the cap open: the others wait for it
    for (auto* open_items : {&order, &keyed, &unkeyed})
      for (std::size_t i : *open_items) {
        Unknowns open;
        open.add(amounts[i]);
        open.add(a.get(1));
        shares[i] = open.value();
      }
    return Value::list(std::move(shares));
  }
  const Decimal cap = a.number(1);
  auto by_key = [&](std::size_t x, std::size_t y) { return compare(a, 2, keys[x], keys[y]) < 0; };
  std::stable_sort(order.begin(), order.end(), by_key);
  std::stable_sort(keyed.begin(), keyed.end(), by_key);
  auto precedes = [&](std::size_t x, std::size_t y) {
    int c = compare(a, 2, keys[x], keys[y]);
    return c < 0 || (c == 0 && x < y);
  };
  auto lacks = [&](std::size_t o) -> const Value& { return amounts[o].is_unknown() ? amounts[o] : keys[o]; };

  // Pass 1: shares in granting order; a nonzero share that an open item before it could reduce
  // is unknown, lacking what those items lack (built anew only when another open item passed).
  Decimal limit = cap.is_negative() ? Decimal(0) : cap;
  if (places && limit.round(*places) > limit)  // a cap of 0.005 pays no fen: rounded shares stay within it
    limit = limit.round(*places) - *Decimal::parse("1e-" + std::to_string(*places));
  Decimal left = limit, running, rounded_before;
  Unknowns passed;
  for (std::size_t o : unkeyed) passed.add(lacks(o));
  std::optional<Value> lacking;
  bool stale = bool(passed);
  std::size_t next = 0;
  for (std::size_t i : order) {
    for (; next < keyed.size() && precedes(keyed[next], i); ++next) {
      passed.add(lacks(keyed[next]));
      stale = true;
    }
    Decimal want = amounts[i].as_number().is_negative() ? Decimal(0) : amounts[i].as_number();
    Decimal grant = want < left ? want : left;
    left = left - grant;
    if (places) {
      running = running + grant;
      Decimal rounded = running.round(*places);
      shares[i] = rounded - rounded_before;
      rounded_before = rounded;
    } else {
      shares[i] = grant;
    }
    if (shares[i].as_number().is_zero() || !passed) continue;  // a zero share stays zero
    if (stale) {
      Unknowns so_far = passed;
      lacking = so_far.value();
      a.iterate(lacking->missing_paths().size());  // each rebuild copies the paths: charged
      stale = false;
    }
    shares[i] = *lacking;
  }
  // Pass 2: an open item with a known key granted after the cap is spent gets nothing,
  // whatever it turns out to be; only known shares before it count, and an unknown one
  // before it leaves it open.
  Decimal granted_before;
  bool open_before = false;
  std::size_t at = 0;
  for (std::size_t o : keyed) {
    for (; at < order.size() && precedes(order[at], o); ++at) {
      if (shares[order[at]].is_unknown()) open_before = true;
      else granted_before = granted_before + shares[order[at]].as_number();
    }
    shares[o] = !open_before && !(granted_before < limit) ? Value(zero) : lacks(o);
  }
  for (std::size_t o : unkeyed) shares[o] = lacks(o);
  return Value::list(std::move(shares));
}

Value fn_date(Args& a) {
  if (a.size() == 2) a.fail(1, "date takes a text, or a year, a month and a day");
  if (a.size() == 3) {  // date(year, month, day): BZ-02's due dates in the report's year
    auto d = Date::from_ymd(int(whole(a, 0, 1, 9999)), int(whole(a, 1, 1, 12)), int(whole(a, 2, 1, 31)));
    if (!d) a.fail(2, "not a calendar date");
    return *d;
  }
  auto d = Date::parse(a.string(0));
  if (!d) a.fail(0, "expected a date YYYY-MM-DD, got \"" + excerpt(a.string(0)) + "\"");
  return *d;
}

Value date_result(Args& a, std::optional<Date> d) {
  if (!d) a.fail(1, "the resulting date is outside 0001-01-01 … 9999-12-31");
  return *d;
}
constexpr std::int64_t max_shift = 3'700'000;
Value fn_add_days(Args& a) { return date_result(a, a.date(0).add_days(whole(a, 1, -max_shift, max_shift))); }
Value fn_add_months(Args& a) { return date_result(a, a.date(0).add_months(whole(a, 1, -120000, 120000))); }
Value fn_add_years(Args& a) { return date_result(a, a.date(0).add_years(whole(a, 1, -10000, 10000))); }
Value fn_days_between(Args& a) { return Value(Date::days_between(a.date(0), a.date(1))); }
Value fn_months_between(Args& a) { return Value(Date::months_between(a.date(0), a.date(1))); }
Value fn_years_between(Args& a) { return Value(Date::years_between(a.date(0), a.date(1))); }
Value fn_year(Args& a) { return Value(a.date(0).year()); }
Value fn_month(Args& a) { return Value(a.date(0).month()); }
Value fn_day(Args& a) { return Value(a.date(0).day()); }

Value fn_len(Args& a) {
  const Value& v = a.get(0);
  if (v.kind() == Kind::list) return Value(std::int64_t(v.as_list().items.size()));
  if (v.kind() != Kind::string) a.fail(0, "expected a string or a list, got " + got(v));
  return Value(std::int64_t(utf8_length(v.as_string())));  // characters, not bytes
}
Value fn_contains(Args& a) {
  a.scan(a.string(0).size() + a.string(1).size());
  return Value(text_contains(a.string(0), a.string(1)));
}
Value fn_starts_with(Args& a) {
  a.scan(a.string(1).size());
  return Value(a.string(0).starts_with(a.string(1)));
}
Value fn_ends_with(Args& a) {
  a.scan(a.string(1).size());
  return Value(a.string(0).ends_with(a.string(1)));
}
Value fn_known(Args& a) { return Value(!a.get(0).is_unknown()); }

// CM-03: working days on China's official calendar; a date outside it is an error, not a guess.
template <typename T>
T in_calendar(Args& a, std::size_t arg, std::optional<T> v) {
  if (!v)
    a.fail(arg, "outside China's working-day calendar (" + a.calendar().from().to_string() + " … " +
                    a.calendar().to().to_string() + ")");
  return *v;
}
Value fn_is_working_day(Args& a) { return Value(in_calendar(a, 0, a.calendar().is_working_day(a.date(0)))); }
// Whether the calendar knows d, so that a rule may show a count only where it can be made.
Value fn_on_calendar(Args& a) { return Value(a.calendar().is_working_day(a.date(0)).has_value()); }
Value fn_add_working_days(Args& a) {
  return Value(in_calendar(a, 0, a.calendar().add_working_days(a.date(0), whole(a, 1, 0, 10000))));
}
Value fn_working_days_between(Args& a) {
  const Calendar& c = a.calendar();
  // The days counted lie after the earlier date: the first is to blame if it is before the day
  // before the calendar or after its end, else the second is.
  const Date first = a.date(0);
  const auto next = first.add_days(1);
  const bool first_off = !next || *next < c.from() || c.to() < first;
  return Value(in_calendar(a, first_off ? 0 : 1, c.working_days_between(first, a.date(1))));
}

// A positive number as m × 10^e, m in [1, 10) to 36 significant digits: a product of such keeps
// its digits however small or large it gets, where one rounded at the 38th decimal place lost
// them (0.842^821 stuck at 3E-38, a power past 10^36 on its way to a small reciprocal overflowed).
struct Scientific {
  Decimal m;
  long e = 0;

  explicit Scientific(const Decimal& x) {  // INVARIANT: x > 0
    std::string digits = x.to_string();
    std::size_t dot = std::min(digits.find('.'), digits.size());
    e = digits[0] != '0' ? long(dot) - 1 : -long(digits.find_first_not_of("0.") - 1);
    m = x.shifted(int(-e));
  }
  Scientific(const Decimal& mantissa, long exponent) : m(mantissa), e(exponent) {
    if (!m.is_zero() && m < Decimal(1)) m = m.shifted(1), --e;  // a quotient of mantissas
    if (!(m < Decimal(10))) m = m.shifted(-1), ++e;             // a product of mantissas
  }
  friend Scientific operator*(const Scientific& a, const Scientific& b) { return {a.m * b.m, a.e + b.e}; }
  Scientific reciprocal() const { return {Decimal(1) / m, -e}; }
  /// As a decimal, rounded at the 38th place: an error past 36 digits or below 10^-38.
  Decimal decimal() const {
    if (e >= Decimal::max_digits) throw DecimalError("number too large (more than 36 digits)");
    if (e < -Decimal::max_scale)
      throw DecimalError("number too small (nonzero, below 10^-38, the smallest decimal place kept)");
    return m.shifted(int(e));
  }
};

// x^n for n >= 1, x > 0, by repeated multiplication (exact while the result has at most 36
// significant digits: so then has every partial product).
Scientific power(const Decimal& x, std::int64_t n) {
  Scientific base(x), r = base;
  for (std::int64_t i = 1; i < n; ++i) r = r * base;
  return r;
}

Value fn_pow(Args& a) {
  Decimal x = a.number(0);
  std::int64_t n = whole(a, 1, -1000, 1000);
  if (n == 0) return Decimal(1);
  if (x.is_zero()) {
    if (n < 0) a.fail(0, "zero to a negative power");
    return x;
  }
  const bool negative = x.is_negative() && n % 2 != 0;
  Decimal magnitude = x.abs();
  // A negative power of 0.5 is a power of 2, exactly: the reciprocal first when it is exact.
  if (n < 0)
    if (Decimal inverse = Decimal(1) / magnitude; !inverse.is_approximate() || magnitude.is_approximate())
      magnitude = inverse, n = -n;
  Decimal r = n > 0 ? power(magnitude, n).decimal() : power(magnitude, -n).reciprocal().decimal();
  return negative ? -r : r;
}

// XJ-01 (compound annual growth): the n-th root by Newton's method, y ← ((n−1)·y + x / y^(n−1)) / n,
// x / y^(n−1) computed as m × 10^e (Scientific), so that a small x keeps its digits, to 36
// significant digits (or the 38th decimal place, for a root below 0.01).
Value fn_root(Args& a) {
  Decimal x = a.number(0);
  std::int64_t n = whole(a, 1, 1, 100);
  if (x.is_negative()) a.fail(0, "no real root of a negative number");
  if (x.is_zero() || n == 1) return x;
  // Start just above the root, from a binary estimate: Newton then descends to it, and y^(n−1)
  // stays near x (starting at x itself overflowed for large ratios: 10^30 to the 4th).
  double estimate = std::pow(std::stod(x.to_string()), 1.0 / double(n)) * (1 + 1e-9);
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", estimate);
  Decimal y = Decimal::parse(text).value_or(Decimal(1)), prev;
  if (y < Decimal(1) && !(x < Decimal(1))) y = 1;
  const Scientific sx(x);
  for (int i = 0; i < 400 && !(y == prev); ++i) {
    prev = y;
    Scientific q = sx * power(y, n - 1).reciprocal();
    y = (Decimal(n - 1) * y + q.decimal()) / Decimal(n);
    a.iterate(std::size_t(n));
  }
  // The root of 4 is 2, not 2.000…: trailing zeros of the iteration say nothing.
  std::string digits = y.to_string();
  if (digits.find('.') != std::string::npos) {
    digits.erase(digits.find_last_not_of('0') + 1);
    if (digits.back() == '.') digits.pop_back();
  }
  Decimal root = Decimal::parse(digits).value_or(y);
  // Exact only when it is (the root of 4): a sum with 10^35 then may not round it away. A power
  // past 36 digits is not x (the root of 10^36 − 1 is just under 10^18), nor one below 10^-38.
  Scientific p = power(root, n);
  bool exact = p.e < Decimal::max_digits && p.e >= -Decimal::max_scale && !p.m.is_approximate() && p.decimal() == x;
  return root.marked(!exact);
}

Value fn_credit_code_valid(Args& a) { return Value(credit_code_valid(a.string(0))); }

// A justification or reason of only spaces (full-width included) says nothing.
Value fn_blank(Args& a) { return Value(is_blank(a.string(0))); }
Value fn_normalize_id(Args& a) {
  a.produce(a.string(0).size());
  return Value(normalize_id(a.string(0)));
}

// HL-06: provinces compare as regions: 黑龙江, 黑龙江省, 230000 and 230100 are one province.
Value fn_province(Args& a) {
  const Value& v = a.get(0);
  std::string text;
  if (v.kind() == Kind::string)
    text = v.as_string();
  else if (v.kind() == Kind::number && v.as_number().is_integer())
    text = v.as_number().to_key();  // 230100.00 is the code 230100
  else
    a.fail(0, "expected a province's name or a division code, got " + got(v));
  auto code = a.divisions().province(text);
  if (!code) a.fail(0, "\"" + excerpt(text) + "\" is not a province of China, nor a division code in one (GB/T 2260)");
  return Value(*code);
}

using A = Arg;
using T = TypeKind;
// The one table of builtins: the checker, the read-set builder, the compiler, lint and the
// evaluator all read what a function is from here.
constexpr FunctionSpec functions[] = {
    {"min", "min(a, b, ...) or min(list)", 1, -1, {A::any}, T::any, fn_min, keeps_rounding | result_element},
    {"max", "max(a, b, ...) or max(list)", 1, -1, {A::any}, T::any, fn_max, keeps_rounding | result_element},
    {"abs", "abs(x)", 1, 1, {A::number}, T::number, fn_abs, keeps_rounding},
    {"round", "round(x, places = 0)", 1, 2, {A::number, A::number}, T::number, fn_round, rounds},
    {"count", "count(list) or count(list, x -> condition)", 1, 2, {A::list, A::lambda1}, T::number, fn_count, iterates},
    {"sum",
     "sum(list) or sum(list, x -> number)",
     1,
     2,
     {A::list, A::lambda1},
     T::number,
     fn_sum,
     iterates | keeps_rounding},
    {"any", "any(list, x -> condition)", 2, 2, {A::list, A::lambda1}, T::boolean, fn_any, iterates},
    {"all", "all(list, x -> condition)", 2, 2, {A::list, A::lambda1}, T::boolean, fn_all, iterates},
    {"filter",
     "filter(list, x -> condition)",
     2,
     2,
     {A::list, A::lambda1},
     T::list,
     fn_filter,
     iterates | result_as_list},
    {"map", "map(list, x -> value)", 2, 2, {A::list, A::lambda1}, T::list, fn_map, iterates | result_of_lambda},
    {"allocate",
     "allocate(amounts, cap, keys, places)",
     3,
     4,
     {A::list, A::number, A::list, A::number},
     T::list,
     fn_allocate,
     handles_unknown | iterates | result_numbers},
    {"date", "date(text) or date(year, month, day)", 1, 3, {A::any, A::number, A::number}, T::date, fn_date},
    {"add_days", "add_days(date, n)", 2, 2, {A::date, A::number}, T::date, fn_add_days},
    {"add_months", "add_months(date, n)", 2, 2, {A::date, A::number}, T::date, fn_add_months},
    {"add_years", "add_years(date, n)", 2, 2, {A::date, A::number}, T::date, fn_add_years},
    {"days_between", "days_between(from, to)", 2, 2, {A::date, A::date}, T::number, fn_days_between},
    {"months_between", "months_between(from, to)", 2, 2, {A::date, A::date}, T::number, fn_months_between},
    {"years_between", "years_between(from, to)", 2, 2, {A::date, A::date}, T::number, fn_years_between},
    {"year", "year(date)", 1, 1, {A::date}, T::number, fn_year},
    {"month", "month(date)", 1, 1, {A::date}, T::number, fn_month},
    {"day", "day(date)", 1, 1, {A::date}, T::number, fn_day},
    {"len", "len(text or list)", 1, 1, {A::any}, T::number, fn_len, iterates},
    {"contains", "contains(text, part)", 2, 2, {A::string, A::string}, T::boolean, fn_contains},
    {"starts_with", "starts_with(text, prefix)", 2, 2, {A::string, A::string}, T::boolean, fn_starts_with},
    {"ends_with", "ends_with(text, suffix)", 2, 2, {A::string, A::string}, T::boolean, fn_ends_with},
    {"known", "known(x)", 1, 1, {A::any}, T::boolean, fn_known, handles_unknown | iterates},
    {"is_working_day", "is_working_day(date)", 1, 1, {A::date}, T::boolean, fn_is_working_day, needs_calendar},
    {"on_calendar", "on_calendar(date)", 1, 1, {A::date}, T::boolean, fn_on_calendar, needs_calendar},
    {"add_working_days",
     "add_working_days(date, n)",
     2,
     2,
     {A::date, A::number},
     T::date,
     fn_add_working_days,
     needs_calendar},
    {"working_days_between",
     "working_days_between(from, to)",
     2,
     2,
     {A::date, A::date},
     T::number,
     fn_working_days_between,
     needs_calendar},
    {"pow", "pow(x, n)", 2, 2, {A::number, A::number}, T::number, fn_pow, keeps_rounding},
    {"root", "root(x, n)", 2, 2, {A::number, A::number}, T::number, fn_root, keeps_rounding},
    {"credit_code_valid", "credit_code_valid(code)", 1, 1, {A::string}, T::boolean, fn_credit_code_valid},
    {"blank", "blank(text)", 1, 1, {A::string}, T::boolean, fn_blank},
    {"normalize_id", "normalize_id(text)", 1, 1, {A::string}, T::string, fn_normalize_id},
    {"province", "province(name or code)", 1, 1, {A::any}, T::string, fn_province, needs_divisions},
};

}  // namespace

// count(filter(xs, p)), fused: filter's arguments, and its name, which its errors give.
constexpr FunctionSpec count_of_filter = {
    "filter", "filter(list, x -> condition)", 2, 2, {A::list, A::lambda1}, T::number, fn_count_of_filter, iterates};

const FunctionSpec* fused_call(const FunctionSpec& outer, std::size_t outer_args, const FunctionSpec& inner) {
  if (outer.impl == fn_count && outer_args == 1 && inner.impl == fn_filter) return &count_of_filter;
  return nullptr;
}

const FunctionSpec* find_function(std::string_view name) {
  for (const auto& f : functions)
    if (f.name == name) return &f;
  return nullptr;
}

std::span<const FunctionSpec> all_functions() { return functions; }

}  // namespace rulebook::ir
