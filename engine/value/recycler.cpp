#include "value/recycler.hpp"

#include <algorithm>

namespace rulebook {
namespace {

// The memory a node holds, its own included (with its share of make_shared's block).
constexpr std::size_t node_bytes = 16;
std::size_t bytes_of(const std::string& s) { return node_bytes + sizeof s + s.capacity(); }
std::size_t bytes_of(const List& l) { return node_bytes + sizeof l + l.items.capacity() * sizeof(Value) + l.path.capacity(); }
std::size_t bytes_of(const Object& o) {
  std::size_t n = node_bytes + sizeof o + o.members.capacity() * sizeof(o.members[0]) + o.path.capacity();
  for (const auto& m : o.members) n += m.first.capacity();
  return n;
}

// A node's values that may hold nodes of their own, for give() to look into; its own
// memory kept (a key's to be written over), its values let go.
std::size_t children(const std::string&) { return 0; }
std::size_t children(const List& l) { return l.items.size(); }
std::size_t children(const Object& o) { return o.members.size(); }
void let_go(std::string&, std::vector<Value>&) {}
void let_go(List& l, std::vector<Value>& out) {
  for (auto it = l.items.rbegin(); it != l.items.rend(); ++it)
    if (it->kind() >= Kind::string) out.push_back(std::move(*it));
  l.items.clear();
  l.path.clear();
}
void let_go(Object& o, std::vector<Value>& out) {
  for (auto it = o.members.rbegin(); it != o.members.rend(); ++it) {
    if (it->second.kind() >= Kind::string) out.push_back(std::move(it->second));
    it->second = Value();  // the key stays, to be written over, and so does the path
  }
}

// Nodes are taken back in the order a reader builds them (a document's, depth first): the
// next document of the same shape is then given the nodes the last one had at the same
// places, whose memory is the right size.
template <class T>
void keep_in_order(std::vector<T>& pool, std::size_t from) {
  std::reverse(pool.begin() + std::ptrdiff_t(from), pool.end());
}

}  // namespace

template <class T>
bool Recycler::keep(Pool<T>& pool, std::shared_ptr<T> node) {
  const std::size_t bytes = bytes_of(*node);
  if (pool.bytes + bytes > most_bytes) return false;
  pool.kept.push_back({std::move(node), bytes});
  pool.bytes += bytes;
  return true;
}

// Keeps `p`'s node, a T, when nothing else holds it, and puts its values in pending_.
template <class T>
void Recycler::keep_sole(Pool<T>& pool, std::shared_ptr<const void>& p) {
  if (!held_alone(p)) return;
  auto& node = *const_cast<T*>(static_cast<const T*>(p.get()));  // kept, or let go with what it holds
  pending_.reserve(pending_.size() + children(node));            // so a node is kept whole or not at all
  if (keep(pool, std::shared_ptr<T>(std::move(p), &node))) let_go(node, pending_);
}

template <class T>
std::shared_ptr<T> Recycler::take(Pool<T>& pool) {
  if (pool.kept.empty()) return std::make_shared<T>();
  auto k = std::move(pool.kept.back());
  pool.kept.pop_back();
  pool.bytes -= k.bytes;
  return std::move(k.node);
}

void Recycler::give(Value&& v) {
  const std::size_t strings_from = strings_.kept.size(), lists_from = lists_.kept.size(),
                    objects_from = objects_.kept.size();
  pending_.push_back(std::move(v));
  while (!pending_.empty()) {
    Value x = std::move(pending_.back());
    pending_.pop_back();
    switch (x.kind_) {
      case Kind::string: keep_sole<std::string>(strings_, x.node_); break;
      case Kind::list: keep_sole<List>(lists_, x.node_); break;
      case Kind::object: keep_sole<Object>(objects_, x.node_); break;
      default: break;
    }
  }
  keep_in_order(strings_.kept, strings_from);
  keep_in_order(lists_.kept, lists_from);
  keep_in_order(objects_.kept, objects_from);
}

Value Recycler::string(std::string_view s) {
  if (strings_.kept.empty()) return Value(std::string(s));
  std::shared_ptr<std::string> node = take(strings_);
  node->assign(s);
  return Value(Kind::string, std::move(node));
}

void Recycler::assign(Value& v, std::string_view s) {
  if (v.kind_ == Kind::string && held_alone(v.node_))
    const_cast<std::string&>(v.as_string()).assign(s);
  else
    v = string(s);
}

std::shared_ptr<List> Recycler::list() { return take(lists_); }

std::shared_ptr<Object> Recycler::object() { return take(objects_); }

}  // namespace rulebook
