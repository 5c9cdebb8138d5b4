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

// Nodes are taken back in the order a reader builds them (a document's, depth first): the
// next document of the same shape is then given the nodes the last one had at the same
// places, whose memory is the right size.
template <class T>
void keep_in_order(std::vector<T>& pool, std::size_t from) {
  std::reverse(pool.begin() + std::ptrdiff_t(from), pool.end());
}

}  // namespace

void Recycler::give(Value&& v) {
  const std::size_t strings_from = strings_.size(), lists_from = lists_.size(), objects_from = objects_.size();
  pending_.push_back(std::move(v));
  while (!pending_.empty()) {
    Value x = std::move(pending_.back());
    pending_.pop_back();
    auto* any = &x.v_;
    if (auto* s = std::get_if<std::shared_ptr<const std::string>>(any)) {
      if (strings_.size() < most_nodes && (*s)->capacity() <= largest_kept && sole(*s))
        strings_.push_back(std::const_pointer_cast<std::string>(std::move(*s)));
    } else if (auto* l = std::get_if<std::shared_ptr<const List>>(any)) {
      if (lists_.size() < most_nodes && (*l)->items.capacity() <= largest_kept && sole(*l)) {
        auto& list = lists_.emplace_back(std::const_pointer_cast<List>(std::move(*l)));
        for (auto it = list->items.rbegin(); it != list->items.rend(); ++it)
          if (it->kind() >= Kind::string) pending_.push_back(std::move(*it));
        list->items.clear();
        list->path.clear();
      }
    } else if (auto* o = std::get_if<std::shared_ptr<const Object>>(any)) {
      if (objects_.size() < most_nodes && (*o)->members.capacity() <= largest_kept && sole(*o)) {
        auto& object = objects_.emplace_back(std::const_pointer_cast<Object>(std::move(*o)));
        for (auto it = object->members.rbegin(); it != object->members.rend(); ++it) {
          if (it->second.kind() >= Kind::string) pending_.push_back(std::move(it->second));
          it->second = Value();  // the key stays, to be written over
        }
        object->path.clear();
      }
    }
  }
  keep_in_order(strings_, strings_from);
  keep_in_order(lists_, lists_from);
  keep_in_order(objects_, objects_from);
}

Value Recycler::string(std::string_view s) {
  if (strings_.empty()) return Value(std::string(s));
  Value v;
  strings_.back()->assign(s);
  v.v_ = std::shared_ptr<const std::string>(std::move(strings_.back()));
  strings_.pop_back();
  return v;
}

void Recycler::assign(Value& v, std::string_view s) {
  auto* held = std::get_if<std::shared_ptr<const std::string>>(&v.v_);
  if (held && sole(*held))
    const_cast<std::string&>(**held).assign(s);
  else
    v = string(s);
}

std::shared_ptr<List> Recycler::list() {
  if (lists_.empty()) return std::make_shared<List>();
  auto l = std::move(lists_.back());
  lists_.pop_back();
  return l;
}

std::shared_ptr<Object> Recycler::object() {
  if (objects_.empty()) return std::make_shared<Object>();
  auto o = std::move(objects_.back());
  objects_.pop_back();
  return o;
}

void Recycler::unused(std::shared_ptr<Object> o) {
  for (auto& m : o->members) m.second = Value();
  o->path.clear();
  if (objects_.size() < most_nodes) objects_.push_back(std::move(o));
}

}  // namespace rulebook
