#include "eval/typing.hpp"

namespace rulebook::detail {
namespace {

// `v` retyped below `r`, or nullopt when nothing in it changes (the common case copies nothing).
std::optional<Value> retyped(const Value& v, const ReadSet& r) {
  if (r.text && v.kind() == Kind::date) return Value(v.as_date().to_string());  // the text it was read from
  if (!r.has_text) return std::nullopt;
  if (v.kind() == Kind::object) {
    const Object& o = v.as_object();
    std::optional<std::vector<std::pair<std::string, Value>>> members;  // copied at the first change
    for (std::size_t i = 0; i < o.members.size(); ++i) {
      const ReadSet* part = r.field(o.members[i].first);
      if (!part) continue;
      if (auto changed = retyped(o.members[i].second, *part)) {
        if (!members) members = o.members;
        (*members)[i].second = std::move(*changed);
      }
    }
    if (members) return Value::object(std::move(*members), o.path);
  } else if (v.kind() == Kind::list && r.items) {
    const List& l = v.as_list();
    std::optional<std::vector<Value>> items;
    for (std::size_t i = 0; i < l.items.size(); ++i)
      if (auto changed = retyped(l.items[i], *r.items)) {
        if (!items) items = l.items;
        (*items)[i] = std::move(*changed);
      }
    if (items) return Value::list(std::move(*items), l.path);
  }
  return std::nullopt;
}

}  // namespace

Document typed(Document doc, const ReadSet& reads) {
  auto root = retyped(doc.root(), reads);
  if (!root) return doc;
  auto [old_root, name] = std::move(doc).release();
  return Document::make(std::move(*root), std::move(name));
}

}  // namespace rulebook::detail
