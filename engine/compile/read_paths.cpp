// Where a compiled pack's rules read a document (CompiledPack::read_paths): the places each rule's
// expressions reach, followed as the evaluator follows them, for a form that asks for those first.
// Program::reads (reads.cpp) answers another question: what the batch reader must build and
// validate, which starts from all the schema describes.

#include <algorithm>
#include <map>
#include <set>

#include "check/functions.hpp"
#include "compile/program.hpp"

namespace rulebook::detail {
namespace {

// True when `pattern` lies below `above` (a member or an element of it).
bool below(const std::string& pattern, const std::string& above) {
  return pattern.size() > above.size() && pattern.starts_with(above) &&
         (pattern[above.size()] == '.' || pattern[above.size()] == '[');
}

// What an expression's value may be, for read_paths(): the document's places it may hold, the
// keys it may name (a literal, a set param; nullopt when not known before evaluation) and, for a
// literal list, what its elements may be.
struct Abstract {
  std::set<std::string> places;  ///< JSON-path patterns: `.*` any member, `[*]` any element
  std::optional<std::set<std::string>> keys;
  bool texts = false;  ///< every key is a string's: it names no element of a list
  std::shared_ptr<Abstract> items;
  void merge(const Abstract& o) {
    places.insert(o.places.begin(), o.places.end());
    texts = texts && o.texts;
    if (keys && o.keys)
      keys->insert(o.keys->begin(), o.keys->end());
    else
      keys.reset();
    if (o.items) {
      if (!items) items = std::make_shared<Abstract>(Abstract{{}, std::set<std::string>{}, true, nullptr});
      items->merge(*o.items);
    }
  }
};

Abstract none() { return Abstract{{}, std::nullopt, false, nullptr}; }
// What a literal list's elements may be, before the first is merged in.
std::shared_ptr<Abstract> no_items() {
  return std::make_shared<Abstract>(Abstract{{}, std::set<std::string>{}, true, nullptr});
}

// The key a scalar names as an object's member (the evaluator's `years[2020]` is `years["2020"]`).
std::optional<std::string> key_of(const Value& v) {
  if (v.kind() == Kind::string) return v.as_string();
  if (v.kind() == Kind::number) return v.as_number().to_key();
  return std::nullopt;
}

Abstract of_value(const Value& v) {
  Abstract a = none();
  if (auto k = key_of(v)) a.keys = std::set<std::string>{*k};
  a.texts = v.kind() == Kind::string;
  if (v.kind() == Kind::list) {
    a.items = no_items();
    for (const auto& item : v.as_list().items) a.items->merge(of_value(item));
  }
  return a;
}

// Follows each rule's expressions as the evaluator would, with the document's places for values:
// a place used other than by taking a member, an element or iterating it is read, all below it
// included. Keys known before evaluation (a literal, a param, a def's argument) name their member;
// any other names every member. Conservative, as Program::reads is: what no place reached is
// what no decision depends on.
class RuleReads {
 public:
  explicit RuleReads(const Program& p) : p_(p), defs_(p.defs.size()) {}

  std::set<std::string> run() {
    for (const auto& r : p_.rules) rule(r);
    // An object whose presence alone is read (known(patent)) is read as a whole when nothing at
    // or below it is read otherwise: a form then asks for it, and a reader who gives it answers.
    for (const auto& p : present_)
      if (std::none_of(read_.begin(), read_.end(),
                       [&](const std::string& r) { return r == p || below(r, p) || below(p, r); }))
        read_.insert(p);
    return std::move(read_);
  }

 private:
  using Env = std::map<int, Abstract>;

  void rule(const CompiledRule& r) {
    outputs_.clear();
    items_ = none();
    Env env;
    auto top = [&](const std::optional<CompiledExpr>& c) {
      if (c && c->expr) use(eval(*c->expr, env));
    };
    auto require = [&](const CompiledExpr& c) {
      if (c.expr) use(eval(*c.expr, env));
    };
    top(r.applies);
    top(r.param_date);
    top(r.justification);
    top(r.dated);
    // Outputs before the conditions, which may read them.
    for (const auto& o : r.outputs) {
      Abstract a = o.expr.expr ? eval(*o.expr.expr, env) : none();
      use(a);
      outputs_.push_back(std::move(a));
    }
    for (const auto& c : r.conditions) require(c.require);
    if (!r.each) return;
    // INVARIANT: slot 0 of `key`, `dated` and the conditions is the element (`in`'s, or item()'s argument).
    Abstract element = r.each->in.expr ? elements(eval(*r.each->in.expr, env)) : none();
    Abstract called = items_;  // item(x) calls met so far; the conditions may make no more
    element.merge(called);
    Env each{{0, element}};
    if (r.each->key && r.each->key->expr) use(eval(*r.each->key->expr, each));
    if (r.each->dated && r.each->dated->expr) use(eval(*r.each->dated->expr, each));
    for (const auto& c : r.each->conditions)
      if (c.require.expr) use(eval(*c.require.expr, each));
  }

  // The value is used as a whole: each place it may be is read, and the elements of a literal list.
  void use(const Abstract& a) {
    read_.insert(a.places.begin(), a.places.end());
    if (a.items) use(*a.items);
  }

  static Abstract elements(const Abstract& list) {
    Abstract e = list.items ? *list.items : none();
    for (const auto& p : list.places) e.places.insert(p + "[*]");
    return e;
  }

  Abstract eval(const ir::Expr& e, Env& env) {
    using ir::Node;
    switch (e.node) {
      case Node::constant: return of_value(e.value);
      case Node::param: return e.dated ? none() : of_value(e.value);
      case Node::as_of: return none();
      case Node::input: {
        Abstract a = none();
        a.places.insert("$." + e.name);
        return a;
      }
      case Node::local: {
        auto it = env.find(e.slot);
        return it == env.end() ? none() : it->second;
      }
      case Node::output: return std::size_t(e.slot) < outputs_.size() ? outputs_[std::size_t(e.slot)] : none();
      case Node::def: return def(std::size_t(e.slot));
      case Node::def_call: {
        Env args;
        for (std::size_t i = 0; i < e.kids.size(); ++i) args[int(i)] = eval(*e.kids[i], env);
        const auto& body = p_.defs[std::size_t(e.slot)].body.expr;
        if (!body || depth_ > max_depth) {  // too deep to follow: its arguments are read whole
          for (auto& [slot, a] : args) use(a);
          return none();
        }
        ++depth_;
        Abstract a = eval(*body, args);
        --depth_;
        return a;
      }
      case Node::item_call: items_.merge(eval(*e.kids[0], env)); return none();
      case Node::member: {
        Abstract base = eval(*e.kids[0], env), a = none();
        for (const auto& p : base.places) a.places.insert(p + "." + e.name);
        return a;
      }
      case Node::index: {
        Abstract base = eval(*e.kids[0], env), key = eval(*e.kids[1], env);
        use(key);
        Abstract a = base.items ? *base.items : none();
        const ir::TypeKind kind = e.kids[0]->type.kind;
        const bool list = kind == ir::TypeKind::list;
        for (const auto& p : base.places) {  // of a value typed neither: an element unless the key is text
          if (list || (kind != ir::TypeKind::object && !(key.keys && key.texts))) a.places.insert(p + "[*]");
          if (list) continue;
          if (!key.keys)
            a.places.insert(p + ".*");
          else
            for (const auto& k : *key.keys) a.places.insert(p + "." + k);
        }
        return a;
      }
      case Node::cond: {
        use(eval(*e.kids[0], env));
        Abstract a = eval(*e.kids[1], env);
        a.merge(eval(*e.kids[2], env));
        return a;
      }
      case Node::call: return call(e, env);
      case Node::list: {
        Abstract a = none();
        a.items = no_items();
        for (const auto& k : e.kids) a.items->merge(eval(*k, env));
        return a;
      }
      case Node::lambda: return none();  // only as a call's argument (call())
      default:  // unary, binary, logical: their operands are used whole, their result is no data
        for (const auto& k : e.kids) use(eval(*k, env));
        return none();
    }
  }

  Abstract call(const ir::Expr& e, Env& env) {
    using ir::Node;
    const ir::FunctionSpec& fn = *e.fn;
    std::optional<Abstract> list;  // the first argument, when the function iterates it
    Abstract result = none();
    for (std::size_t i = 0; i < e.kids.size(); ++i) {
      const ir::Expr& k = *e.kids[i];
      if (k.node == Node::lambda) {
        if (!list || k.kids.empty()) continue;
        if (!k.slots.empty()) env[k.slots[0]] = elements(*list);
        for (std::size_t s = 1; s < k.slots.size(); ++s) env[k.slots[s]] = none();
        Abstract body = eval(*k.kids[0], env);
        if (fn.has(ir::result_of_lambda))
          result.items = std::make_shared<Abstract>(std::move(body));
        else
          use(body);
        continue;
      }
      Abstract a = eval(k, env);
      if (i == 0 && fn.has(ir::iterates))
        list = std::move(a);
      else
        use(a);
    }
    if (!list) return result;
    const bool lambda = e.kids.size() > 1 && e.kids[1]->node == Node::lambda;
    if (fn.has(ir::result_as_list)) return *list;  // filter: the same places, used where it goes
    // Iterated without a lambda: known(x) and len(x) see an object's presence only; the
    // elements of a list (sum(xs)) and a scalar are read.
    if (!lambda && e.kids[0]->type.kind == ir::TypeKind::object)
      present_.insert(list->places.begin(), list->places.end());
    else if (!lambda && e.kids[0]->type.kind == ir::TypeKind::list)
      use(elements(*list));
    else if (!lambda)
      use(*list);
    return result;
  }

  Abstract def(std::size_t slot) {
    auto& memo = defs_[slot];
    if (memo.done) return memo.value;
    if (memo.busy || !p_.defs[slot].body.expr) return none();
    memo.busy = true;
    Env env;
    memo.value = eval(*p_.defs[slot].body.expr, env);
    memo.done = true;
    return memo.value;
  }

  struct Memo {
    bool busy = false, done = false;
    Abstract value = none();
  };
  static constexpr int max_depth = 32;
  const Program& p_;
  std::vector<Memo> defs_;
  std::vector<Abstract> outputs_;
  Abstract items_ = none();
  int depth_ = 0;
  std::set<std::string> read_;
  std::set<std::string> present_;  ///< objects of which only the presence is read (known(x), len(x))
};

}  // namespace

std::vector<std::string> read_paths(const Program& program) {
  std::set<std::string> read = RuleReads(program).run();
  std::vector<std::string> out;
  for (const auto& p : read)  // in order, an ancestor comes before what lies below it
    if (out.empty() || !std::any_of(out.begin(), out.end(), [&](const std::string& a) { return below(p, a); }))
      out.push_back(p);
  return out;
}

}  // namespace rulebook::detail
