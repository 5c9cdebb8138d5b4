#pragma once
// Reuses the memory of values a document no longer needs. A batch worker reads, decides and
// drops one document after another of much the same shape: instead of freeing each one's
// strings, lists and objects and allocating the next one's afresh, it gives the dropped values
// here and takes their nodes back, with their strings' and vectors' memory, for the next.
// Only what nothing else holds is kept (a value a decision or a cache still shares is let go
// as usual), so a value handed out is never changed under anyone. Give it only values whose
// nodes rulebook made (Value's own constructors, a reader, this): a node made const by a caller
// cannot be written over. One per thread.

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/value.hpp"

namespace rulebook {

/// Whether `p` is held by its caller alone, who may then write over what it points at. Another
/// thread may have held it until just now: the fence orders its last reads before our writes.
template <class T>
bool held_alone(const std::shared_ptr<T>& p) {
  if (p.use_count() != 1) return false;
  std::atomic_thread_fence(std::memory_order_acquire);
  return true;
}

class Recycler {
 public:
  /// Takes `v`; keeps for reuse the nodes of it that only it holds, and theirs.
  void give(Value&& v);

  /// A string value of `s`, in a kept node when there is one.
  Value string(std::string_view s);
  /// Writes `s` into `v` where only `v` holds its string (the memory kept), else as string(s).
  void assign(Value& v, std::string_view s);
  /// A list to fill: empty, no path, its items' memory kept from an earlier one when there is one.
  std::shared_ptr<List> list();
  /// An object to fill: its path and members are an earlier object's, to be written over (the
  /// keys' memory kept; most often they are the same) and cut to size; none when there is no
  /// earlier one. Its members' values are let go.
  std::shared_ptr<Object> object();

 private:
  // How much memory each kind of node kept may hold: many times a usual document's nodes (a
  // bench record's take some 2 KB), bounded however large one is, for each worker. A budget
  // per kind, so that nodes of one kind never taken back (an evaluator's strings) cannot
  // crowd out the others.
  static constexpr std::size_t most_bytes = 1u << 20;
  template <class T>
  struct Pool {
    struct Kept {
      std::shared_ptr<T> node;
      std::size_t bytes;  ///< the memory it holds
    };
    std::vector<Kept> kept;
    std::size_t bytes = 0;  ///< held by the nodes kept
  };
  template <class T>
  void keep_sole(Pool<T>& pool, std::shared_ptr<const void>& p);
  template <class T>
  bool keep(Pool<T>& pool, std::shared_ptr<T> node);
  template <class T>
  static std::shared_ptr<T> take(Pool<T>& pool);

  Pool<std::string> strings_;
  Pool<List> lists_;
  Pool<Object> objects_;
  std::vector<Value> pending_;  // give()'s values still to look into
};

}  // namespace rulebook
