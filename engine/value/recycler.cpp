#include "value/recycler.hpp"

#include <algorithm>
#include <atomic>

namespace rulebook {
namespace {

// Whether `p` is held by its caller alone, who may then write over its node. Another thread
// may have held it until just now: the fence orders its last reads before our writes.
template <class T>
bool sole(const std::shared_ptr<T>& p) {
  if (p.use_count() != 1) return false;
  std::atomic_thread_fence(std::memory_order_acquire);
  return true;
}

// The memory a node holds, its own included (with its share of make_shared's block).
constexpr std::size_t node_bytes = 16;
std::size_t bytes_of(const std::string& s) { return node_bytes + sizeof s + s.capacity(); }
std::size_t bytes_of(const List& l) { return node_bytes + sizeof l + l.items.capacity() * sizeof(Value) + l.path.capacity(); }
std::size_t bytes_of(const Object& o) {
  std::size_t n = node_bytes + sizeof o + o.members.capacity() * sizeof(o.members[0]) + o.path.capacity();
  for (const auto& m : o.members) n += m.first.capacity();
  return n;
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
bool Recycler::keep(std::vector<Kept<T>>& pool, std::shared_ptr<T> node, std::size_t bytes) {
  if (bytes_ + bytes > most_bytes) return false;
  pool.push_back({std::move(node), bytes});
  bytes_ += bytes;
  return true;
}

template <class T>
std::shared_ptr<T> Recycler::take(std::vector<Kept<T>>& pool) {
  if (pool.empty()) return std::make_shared<T>();
  Kept<T> k = std::move(pool.back());
  pool.pop_back();
  bytes_ -= k.bytes;
  return std::move(k.node);
}

void Recycler::give(Value&& v) {
  const std::size_t strings_from = strings_.size(), lists_from = lists_.size(), objects_from = objects_.size();
  pending_.push_back(std::move(v));
  while (!pending_.empty()) {
    Value x = std::move(pending_.back());
    pending_.pop_back();
    auto* any = &x.v_;
    if (auto* s = std::get_if<std::shared_ptr<const std::string>>(any)) {
      if (!sole(*s)) continue;
      const std::size_t bytes = bytes_of(**s);  // before the move below: arguments have no order
      keep(strings_, std::const_pointer_cast<std::string>(std::move(*s)), bytes);
    } else if (auto* l = std::get_if<std::shared_ptr<const List>>(any)) {
      if (!sole(*l)) continue;
      auto& list = const_cast<List&>(**l);  // kept, or let go with what it holds
      pending_.reserve(pending_.size() + list.items.size());  // a node is kept whole or not at all
      if (keep(lists_, std::const_pointer_cast<List>(std::move(*l)), bytes_of(list))) {
        for (auto it = list.items.rbegin(); it != list.items.rend(); ++it)
          if (it->kind() >= Kind::string) pending_.push_back(std::move(*it));
        list.items.clear();
        list.path.clear();
      }
    } else if (auto* o = std::get_if<std::shared_ptr<const Object>>(any)) {
      if (!sole(*o)) continue;
      auto& object = const_cast<Object&>(**o);
      pending_.reserve(pending_.size() + object.members.size());
      if (keep(objects_, std::const_pointer_cast<Object>(std::move(*o)), bytes_of(object))) {
        for (auto it = object.members.rbegin(); it != object.members.rend(); ++it) {
          if (it->second.kind() >= Kind::string) pending_.push_back(std::move(it->second));
          it->second = Value();  // the key stays, to be written over
        }
        object.path.clear();
      }
    }
  }
  keep_in_order(strings_, strings_from);
  keep_in_order(lists_, lists_from);
  keep_in_order(objects_, objects_from);
}

Value Recycler::string(std::string_view s) {
  if (strings_.empty()) return Value(std::string(s));
  std::shared_ptr<std::string> node = take(strings_);
  node->assign(s);
  Value v;
  v.v_ = std::shared_ptr<const std::string>(std::move(node));
  return v;
}

void Recycler::assign(Value& v, std::string_view s) {
  auto* held = std::get_if<std::shared_ptr<const std::string>>(&v.v_);
  if (held && sole(*held))
    const_cast<std::string&>(**held).assign(s);
  else
    v = string(s);
}

std::shared_ptr<List> Recycler::list() { return take(lists_); }

std::shared_ptr<Object> Recycler::object() { return take(objects_); }

void Recycler::unused(std::shared_ptr<Object> o) {
  for (auto& m : o->members) m.second = Value();
  o->path.clear();
  std::size_t bytes = bytes_of(*o);
  keep(objects_, std::move(o), bytes);
}

}  // namespace rulebook
