#include "rulebook/value.hpp"

#include <algorithm>

namespace rulebook {

const Value* Object::find(std::string_view name) const {
  for (const auto& [key, value] : members)
    if (key == name) return &value;
  return nullptr;
}

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::unknown: return "unknown";
    case Kind::null: return "null";
    case Kind::boolean: return "boolean";
    case Kind::number: return "number";
    case Kind::date: return "date";
    case Kind::string: return "string";
    case Kind::list: return "list";
    case Kind::object: return "object";
  }
  return "?";
}

std::string_view kind_name_zh(Kind k) {
  switch (k) {
    case Kind::unknown: return "未知值";
    case Kind::null: return "空值";
    case Kind::boolean: return "是/否";
    case Kind::number: return "数字";
    case Kind::date: return "日期";
    case Kind::string: return "文本";
    case Kind::list: return "列表";
    case Kind::object: return "对象";
  }
  return "?";
}

Value Value::list(std::vector<Value> items, std::string path) {
  return Value(std::shared_ptr<const List>(std::make_shared<List>(List{std::move(items), std::move(path)})));
}

Value Value::object(std::vector<std::pair<std::string, Value>> members, std::string path) {
  return Value(std::shared_ptr<const Object>(std::make_shared<Object>(Object{std::move(members), std::move(path)})));
}

Value Value::missing(std::string path) {
  Value v;
  v.v_ = Unknown{std::make_shared<const std::vector<std::string>>(1, std::move(path))};
  return v;
}

const std::vector<std::string>& Value::missing_paths() const {
  static const std::vector<std::string> none;
  const auto* u = std::get_if<Unknown>(&v_);
  return u && u->missing ? *u->missing : none;
}

Value Value::unknown_of(const Value& a, const Value& b) {
  const auto& pa = a.missing_paths();
  const auto& pb = b.missing_paths();
  if (pb.empty() && a.is_unknown()) return a;
  if (pa.empty() && b.is_unknown()) return b;
  std::vector<std::string> merged;
  merged.reserve(pa.size() + pb.size());
  std::set_union(pa.begin(), pa.end(), pb.begin(), pb.end(), std::back_inserter(merged));
  Value v;
  v.v_ = Unknown{std::make_shared<const std::vector<std::string>>(std::move(merged))};
  return v;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::unknown: return false;
    case Kind::null: return true;
    case Kind::boolean: return a.as_bool() == b.as_bool();
    case Kind::number: return a.as_number() == b.as_number();
    case Kind::date: return a.as_date() == b.as_date();
    case Kind::string: return a.as_string() == b.as_string();
    case Kind::list: {
      const auto& x = a.as_list().items;
      const auto& y = b.as_list().items;
      return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin());
    }
    case Kind::object: {
      const auto& x = a.as_object().members;
      const auto& y = b.as_object();
      if (x.size() != y.members.size()) return false;
      for (const auto& [k, v] : x) {
        const Value* w = y.find(k);
        if (!w || !(v == *w)) return false;
      }
      return true;
    }
  }
  return false;
}

std::string Value::to_display() const {
  switch (kind()) {
    case Kind::unknown: return "unknown";
    case Kind::null: return "null";
    case Kind::boolean: return as_bool() ? "true" : "false";
    case Kind::number: return as_number().to_string();
    case Kind::date: return as_date().to_string();
    case Kind::string: return "\"" + as_string() + "\"";
    case Kind::list: {
      std::string s = "[";
      for (const auto& item : as_list().items) {
        if (s.size() > 1) s += ", ";
        s += item.to_display();
      }
      return s + "]";
    }
    case Kind::object: {
      std::string s = "{";
      for (const auto& [k, v] : as_object().members) {
        if (s.size() > 1) s += ", ";
        s += k + ": " + v.to_display();
      }
      return s + "}";
    }
  }
  return "?";
}

}  // namespace rulebook
