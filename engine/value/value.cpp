#include "rulebook/value.hpp"

#include <algorithm>

#include "value/same_text.hpp"
#include "value/utf8.hpp"

namespace rulebook {

void Value::copy_node(const Value& o) { new (&node_) Node(o.node_); }
void Value::drop_node() { node_.~Node(); }

const Value* Object::find(std::string_view name) const {
  for (const auto& [key, value] : members)
    if (same_text(key, name)) return &value;
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

Value Value::missing(std::string path) { return unknown({std::move(path)}); }

const std::vector<std::string>& Value::missing_paths() const {
  static const std::vector<std::string> none;
  return kind_ == Kind::unknown && node_ ? *static_cast<const std::vector<std::string>*>(node_.get()) : none;
}

Value Value::unknown_of(const Value& a, const Value& b) {
  const auto& pa = a.missing_paths();
  const auto& pb = b.missing_paths();
  if (pb.empty() && a.is_unknown()) return a;
  if (pa.empty() && b.is_unknown()) return b;
  std::vector<std::string> merged;
  merged.reserve(pa.size() + pb.size());
  std::set_union(pa.begin(), pa.end(), pb.begin(), pb.end(), std::back_inserter(merged));
  return unknown(std::move(merged));
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

namespace {

// Appends `text` to `out`, or as much as takes `out` past `max_bytes` (a 64 MiB string is not
// copied to be cut).
void append(std::string& out, std::string_view text, std::size_t max_bytes) {
  std::size_t room = max_bytes - std::min(max_bytes, out.size());
  out.append(text.substr(0, room < text.size() ? room + 1 : text.size()));
}

// Appends v's rendering to `out`, stopping once `out` passes `max_bytes`.
void display(const Value& v, std::string& out, std::size_t max_bytes) {
  if (out.size() > max_bytes) return;
  switch (v.kind()) {
    case Kind::unknown: out += "unknown"; return;
    case Kind::null: out += "null"; return;
    case Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
    case Kind::number: out += v.as_number().to_string(); return;
    case Kind::date: out += v.as_date().to_string(); return;
    case Kind::string:
      out += '"';
      append(out, v.as_string(), max_bytes);
      out += '"';
      return;
    case Kind::list: {
      out += "[";
      bool first = true;
      for (const auto& item : v.as_list().items) {
        if (!first) out += ", ";
        first = false;
        display(item, out, max_bytes);
        if (out.size() > max_bytes) return;
      }
      out += "]";
      return;
    }
    case Kind::object: {
      out += "{";
      bool first = true;
      for (const auto& [k, m] : v.as_object().members) {
        if (!first) out += ", ";
        first = false;
        append(out, k, max_bytes);
        out += ": ";
        display(m, out, max_bytes);
        if (out.size() > max_bytes) return;
      }
      out += "}";
      return;
    }
  }
  out += "?";
}

}  // namespace

std::string Value::to_display() const { return to_display(std::string::npos); }

std::string Value::to_display(std::size_t max_bytes) const {
  std::string out;
  display(*this, out, max_bytes);
  return out.size() > max_bytes ? excerpt(out, max_bytes) : out;
}

}  // namespace rulebook
