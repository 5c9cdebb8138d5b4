#include "value/calendar.hpp"

#include "value/data_file.hpp"

namespace rulebook {

std::optional<Calendar> Calendar::load(const std::filesystem::path& file, std::vector<Error>& errors) {
  auto fail = [&](const std::string& message) { return data_error(file, message, errors); };
  auto j = read_data_file(file, "the working-day calendar", errors);
  if (!j) return std::nullopt;
  Calendar c;
  auto from = Date::parse(j->value("from", "")), to = Date::parse(j->value("to", ""));
  if (!from || !to || *to < *from) return fail("the calendar needs 'from' and 'to' dates");
  c.from_ = *from;
  c.to_ = *to;
  for (auto [key, set] : {std::pair{"holidays", &c.holidays_}, std::pair{"workdays", &c.workdays_}}) {
    auto days = j->find(key);
    if (days == j->end() || !days->is_object()) return fail(std::string("the calendar needs '") + key + "'");
    for (const auto& [day, name] : days->items()) {
      auto d = Date::parse(day);
      if (!d) return fail("not a date in the calendar's " + std::string(key) + ": " + day);
      set->insert(d->days());
    }
  }
  return c;
}

std::optional<bool> Calendar::is_working_day(Date d) const {
  if (d < from_ || to_ < d) return std::nullopt;
  if (workdays_.count(d.days())) return true;
  return d.weekday() < 5 && !holidays_.count(d.days());
}

std::optional<Date> Calendar::add_working_days(Date d, std::int64_t n) const {
  if (n < 0) return std::nullopt;
  while (n > 0) {
    auto next = d.add_days(1);
    auto working = next ? is_working_day(*next) : std::nullopt;
    if (!working) return std::nullopt;
    d = *next;
    n -= *working;
  }
  return d;
}

std::optional<std::int64_t> Calendar::working_days_between(Date a, Date b) const {
  bool negative = b < a;
  if (negative) std::swap(a, b);
  std::int64_t n = 0;
  for (Date d = a; d < b;) {  // at most the calendar's length: the first day off it stops
    d = *d.add_days(1);
    auto working = is_working_day(d);
    if (!working) return std::nullopt;
    n += *working;
  }
  return negative ? -n : n;
}

}  // namespace rulebook
