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
  Value v;
  v.v_ = std::shared_ptr<const std::string>(std::shared_ptr<void>(), &node);
  return v;
}

std::optional<Value> ValueArena::owned_copy(const Value& v) {
  if (auto* s = std::get_if<std::shared_ptr<const std::string>>(&v.v_))
    return borrowed(*s) ? std::optional<Value>(Value(**s)) : std::nullopt;
  if (auto* l = std::get_if<std::shared_ptr<const List>>(&v.v_)) {
    std::optional<std::vector<Value>> items;
    if (borrowed(*l)) items = (*l)->items;
    for (std::size_t i = 0; i < (*l)->items.size(); ++i)
      if (auto item = (*l)->items[i].kind() < Kind::string ? std::nullopt : owned_copy((*l)->items[i])) {
        if (!items) items = (*l)->items;
        (*items)[i] = std::move(*item);
      }
    if (items) return Value::list(std::move(*items), (*l)->path);
  }
  if (auto* o = std::get_if<std::shared_ptr<const Object>>(&v.v_)) {
    std::optional<std::vector<std::pair<std::string, Value>>> members;
    if (borrowed(*o)) members = (*o)->members;
    for (std::size_t i = 0; i < (*o)->members.size(); ++i)
      if (auto member =
              (*o)->members[i].second.kind() < Kind::string ? std::nullopt : owned_copy((*o)->members[i].second)) {
        if (!members) members = (*o)->members;
        (*members)[i].second = std::move(*member);
      }
    if (members) return Value::object(std::move(*members), (*o)->path);
  }
  return std::nullopt;
}

}  // namespace rulebook
