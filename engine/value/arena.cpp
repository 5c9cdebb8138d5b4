#include "value/arena.hpp"

namespace rulebook {
namespace {

// A node is borrowed when its pointer has no control block (ValueArena's).
template <class T>
bool borrowed(const std::shared_ptr<T>& p) {
  return p && p.use_count() == 0;
}

}  // namespace

Value ValueArena::string(std::string_view s) {
  std::string& node = strings_.next();
  if (node.capacity() > 4 * s.size() + 256) node = std::string();  // once a long text, not kept for short ones
  node.assign(s);
  return Value(Kind::string, Value::Node(Value::Node(), &node));
}

std::optional<Value> ValueArena::owned_copy(const Value& v) {
  switch (v.kind_) {
    case Kind::string: return borrowed(v.node_) ? std::optional<Value>(Value(v.as_string())) : std::nullopt;
    case Kind::list: {
      const List& l = v.as_list();
      std::optional<std::vector<Value>> items;
      if (borrowed(v.node_)) items = l.items;
      for (std::size_t i = 0; i < l.items.size(); ++i)
        if (auto item = owned_copy(l.items[i])) {
          if (!items) items = l.items;
          (*items)[i] = std::move(*item);
        }
      if (items) return Value::list(std::move(*items), l.path);
      return std::nullopt;
    }
    case Kind::object: {
      const Object& o = v.as_object();
      std::optional<std::vector<std::pair<std::string, Value>>> members;
      if (borrowed(v.node_)) members = o.members;
      for (std::size_t i = 0; i < o.members.size(); ++i)
        if (auto member = owned_copy(o.members[i].second)) {
          if (!members) members = o.members;
          (*members)[i].second = std::move(*member);
        }
      if (members) return Value::object(std::move(*members), o.path);
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

}  // namespace rulebook
