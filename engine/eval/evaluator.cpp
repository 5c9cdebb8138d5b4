#include "eval/evaluator.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "check/functions.hpp"
#include "value/arena.hpp"
#include "value/same_text.hpp"
#include "value/unknowns.hpp"
#include "value/utf8.hpp"

namespace rulebook::detail {
namespace {

using ir::EvalError;
using ir::Node;
using Op = expr::Op;

std::string describe(const Value& v) { return std::string(kind_name(v.kind())) + " " + excerpt(v.to_display(), 100); }

// Missing paths are gathered as they come and made unique once (dedupe), keeping first-seen
// order: a rule over 40,000 open items must not search its list once per item.
void merge_missing(std::vector<std::string>& into, const Value& v) {
  const auto& p = v.missing_paths();
  into.insert(into.end(), p.begin(), p.end());
}
void dedupe(std::vector<std::string>& paths) {
  std::unordered_set<std::string_view> seen;  // views into `paths`, which stays put until the end
  std::vector<std::string> out;
  for (const auto& p : paths)
    if (seen.insert(p).second) out.push_back(p);
  paths = std::move(out);
}

// The operand of a binary operation whose place an error names: the left one when it reads data.
const Instr& data_side(const Instr& e) {
  Node left = e.kids[0].node;
  return left == Node::member || left == Node::input || left == Node::index ? e.kids[0] : e.kids[1];
}

}  // namespace

// A builtin's view of its call: arguments evaluated on demand, lambdas applied in the
// caller's frame (their parameters have their own slots there).
class CallArgs final : public ir::Args {
 public:
  CallArgs(Evaluator& ev, const Instr& call, Evaluator::Frame& frame) : ev_(ev), call_(call), frame_(frame) {
    if (call.nkids > few_.size()) more_.resize(call.nkids);
  }

  std::size_t size() const override { return call_.nkids; }
  // Read where it lies when it can be (a field, a local, a def's list: no copy).
  const Value& get(std::size_t i) override {
    auto& arg = more_.empty() ? few_[i] : more_[i];
    if (!arg.at) arg.at = ev_.place(call_.kids[i], frame_, arg.scratch.emplace());
    return *arg.at;
  }
  Value apply(std::size_t i, std::span<const Value> params) override {
    const Instr& lambda = call_.kids[i];
    for (std::size_t k = 0; k < params.size() && k < lambda.checked->slots.size(); ++k)
      frame_[std::size_t(lambda.checked->slots[k])] = params[k];
    return ev_.eval(lambda.kids[0], frame_);
  }
  [[noreturn]] void fail(std::size_t i, const std::string& message) override {
    const Instr& at = i < call_.nkids ? call_.kids[i] : call_;
    ev_.type_error(at, frame_, std::string(call_.name) + ": " + message);
  }
  [[noreturn]] void fail_item(std::size_t i, std::size_t k, const std::string& message) override {
    std::string path = i < call_.nkids ? item_path(call_.kids[i], i, k) : "";
    if (path.empty()) fail(i, message);
    throw EvalError(std::string(call_.name) + ": " + message + " (at " + path + ")", call_.kids[i].checked->loc, path);
  }
  void iterate(std::size_t n) override { ev_.iterate(n); }
  void scan(std::size_t bytes) override { ev_.scan(bytes); }
  void produce(std::size_t bytes) override { ev_.produce(bytes); }
  std::shared_ptr<List> new_list() override { return ev_.recycler_.list(); }
  const Calendar& calendar() const override { return *ev_.program_.calendar; }     // INVARIANT: checked at load
  const Divisions& divisions() const override { return *ev_.program_.divisions; }  // INVARIANT: checked at load

 private:
  // The document's data behind element k of argument i: what the lambda reads of element k of
  // argument 0 (`t -> t.amount`: $.transactions[k].amount), a literal list's k-th expression, or
  // element k of a list read from the document. Empty when it is no such data.
  std::string item_path(const Instr& at, std::size_t i, std::size_t k) {
    if (at.node == Node::list) return k < at.nkids ? ev_.path_of(at.kids[k], frame_) : "";
    const Value& list = get(at.node == Node::lambda ? 0 : i);
    if (list.kind() != Kind::list || k >= list.as_list().items.size()) return {};
    const List& l = list.as_list();
    if (at.node == Node::lambda) {
      if (at.checked->slots.empty()) return {};
      frame_[std::size_t(at.checked->slots[0])] = l.items[k];
      return ev_.path_of(at.kids[0], frame_);
    }
    const Value& item = l.items[k];
    if (item.kind() == Kind::object && !item.as_object().path.empty()) return item.as_object().path;
    if (item.kind() == Kind::list && !item.as_list().path.empty()) return item.as_list().path;
    return l.path.empty() ? "" : l.path + "[" + std::to_string(k) + "]";
  }

  Evaluator& ev_;
  const Instr& call_;
  Evaluator::Frame& frame_;
  struct Arg {
    const Value* at = nullptr;  ///< once evaluated
    std::optional<Value> scratch;
  };
  std::array<Arg, 4> few_;  // most calls: no allocation
  std::vector<Arg> more_;
};

void Evaluator::check_budget() {
  if (steps_ > options_.max_steps)
    throw EvalError("evaluation budget exceeded (" + std::to_string(options_.max_steps) +
                    " steps): the rule does too much work for this document");
  if (bytes_ > options_.max_value_bytes)
    throw EvalError("the rule builds values of more than " + std::to_string(options_.max_value_bytes) +
                    " bytes (strings and lists): too much for this document");
}

void Evaluator::iterate(std::size_t n) {
  if (n > options_.max_list_length)
    throw EvalError("a list of " + std::to_string(n) + " elements is longer than the limit of " +
                    std::to_string(options_.max_list_length));
  steps_ += n;
  step();
}

// Checked before the value is built, so that a string doubled 40 times stops at the limit.
void Evaluator::produce(std::size_t bytes) {
  bytes_ += bytes;
  steps_ += bytes / 64;
  check_budget();
}

const Value& Evaluator::def_value(std::size_t slot) {
  if (def_charged_.size() != program_.defs.size()) {  // constant(), outside any rule
    defs_.assign(program_.defs.size(), std::nullopt);
    def_costs_.assign(program_.defs.size(), {});
    def_charged_.assign(program_.defs.size(), false);
  }
  if (measuring_) measuring_->defs.push_back(slot);
  std::uint64_t steps_before = steps_, bytes_before = bytes_;
  auto& cached = defs_[slot];
  if (cached) {
    if (!def_charged_[slot]) charge_def(slot);
  } else {
    DefCost cost;  // while computing: what nested defs took; then its own
    DefCost* outer = std::exchange(measuring_, &cost);
    struct Restore {
      DefCost*& at;
      DefCost* outer;
      ~Restore() { at = outer; }
    } restore{measuring_, outer};
    Value v = eval_top(program_.defs[slot].body);
    cost.steps = steps_ - steps_before - cost.steps;
    cost.bytes = bytes_ - bytes_before - cost.bytes;
    def_costs_[slot] = std::move(cost);
    def_charged_[slot] = true;
    cached = std::move(v);
  }
  if (measuring_) {  // a def reading this one: not part of its own cost
    measuring_->steps += steps_ - steps_before;
    measuring_->bytes += bytes_ - bytes_before;
  }
  return *cached;
}

void Evaluator::charge_def(std::size_t slot) {
  def_charged_[slot] = true;
  const DefCost& cost = def_costs_[slot];
  steps_ += cost.steps;
  bytes_ += cost.bytes;
  check_budget();
  for (std::size_t d : cost.defs)
    if (!def_charged_[d]) charge_def(d);
}

std::string Evaluator::path_of(const Instr& e, Frame& frame) {
  try {
    if (e.node == Node::input) return std::string("$.").append(e.name);
    if (e.node == Node::member) {
      Value base = eval(e.kids[0], frame);
      if (base.kind() == Kind::object && !base.as_object().path.empty())
        return (base.as_object().path + ".").append(e.name);
    }
    if (e.node == Node::index) {
      Value base = eval(e.kids[0], frame);
      Value i = eval(e.kids[1], frame);
      if (base.kind() == Kind::list && !base.as_list().path.empty() && i.kind() == Kind::number)
        return base.as_list().path + "[" + i.as_number().to_string() + "]";
    }
  } catch (const EvalError&) {
  }
  return {};
}

void Evaluator::type_error(const Instr& at, Frame& frame, const std::string& message) {
  std::string path = path_of(at, frame);
  throw EvalError(message + (path.empty() ? "" : " (at " + path + ")"), at.checked->loc, path);
}

const Value* Evaluator::present(const Object& obj, const Value* field) const {
  if (!field || field->kind() == Kind::null) return nullptr;
  bool traced = options_.trace && !obj.path.empty() && field->kind() != Kind::list && field->kind() != Kind::object;
  return traced ? nullptr : field;
}

const Value* Evaluator::present_field(const Value& base, std::string_view name) const {
  if (base.kind() != Kind::object) return nullptr;
  const Object& obj = base.as_object();
  return present(obj, obj.find(name));
}

Value Evaluator::member(const Value& base, std::string_view name, const Instr& e) {
  if (base.is_unknown()) {
    // Ask for the field itself ("$.t.transformation.succeeded"), not just its missing parent.
    const auto& paths = base.missing_paths();
    if (paths.size() == 1 && paths[0].starts_with("$")) return Value::missing((paths[0] + ".").append(name));
    return base;
  }
  if (base.kind() != Kind::object)
    throw EvalError("expected an object with field '" + std::string(name) + "', got " + describe(base), e.checked->loc);
  const Object& obj = base.as_object();
  const Value* v = obj.find(name);
  if (const Value* field = present(obj, v)) return *field;  // the common case builds no path
  // Absent, or traced: named by its path.
  std::string path = obj.path.empty() ? std::string(name) : (obj.path + ".").append(name);
  Value result = !v || v->kind() == Kind::null ? Value::missing(path) : *v;
  if (options_.trace && !obj.path.empty() && inputs_seen_.insert(path).second)
    inputs_read_.push_back({"input", path, result.is_unknown() ? "missing" : result.to_display()});
  return result;
}

const Value* Evaluator::place(const Instr& e, Frame& frame, Value& scratch) {
  switch (e.node) {
    case Node::constant: step(); return e.value;
    case Node::param:
      if (e.checked->dated) break;
      step();
      return e.value;
    case Node::local: step(); return &frame[std::size_t(e.slot)];
    case Node::def: step(); return &def_value(std::size_t(e.slot));
    case Node::input:
    case Node::member: {
      // A chain of fields over the document or a local (applicant.type, p.kind) is walked down
      // in one loop while each field lies there; from the first that is missing (or traced)
      // on, each is member()'s answer, as eval() gives it.
      std::array<const Instr*, 8> chain;
      std::size_t n = 0;
      const Instr* root = &e;
      // Room is left for the input under the fields; a longer chain's base is computed below.
      for (; root->node == Node::member && n + 1 < chain.size(); root = &root->kids[0]) chain[n++] = root;
      const std::size_t nodes = n + 1;  // the fields and the input or local under them
      const Value* base;
      if (root->node == Node::input) {
        chain[n++] = root;  // a field of the document's root
        base = &doc_->root();
      } else if (root->node == Node::local) {
        base = &frame[std::size_t(root->slot)];
      } else {  // on a computed base: a field of a temporary is a copy
        step();
        Value base_scratch;
        const Value& computed = *place(e.kids[0], frame, base_scratch);
        const Value* field = present_field(computed, e.name);
        if (field && &computed != &base_scratch) return field;
        scratch = field ? *field : member(computed, e.name, e);
        return &scratch;
      }
      steps_ += nodes - 1;  // a step a node, as eval() takes them: all before any field is read
      step();
      std::size_t i = n;
      for (; i > 0; --i) {
        const Value* field = present_field(*base, chain[i - 1]->name);
        if (!field) break;
        base = field;
      }
      if (i == 0) return base;
      scratch = member(*base, chain[i - 1]->name, *chain[i - 1]);
      for (--i; i > 0; --i) scratch = member(scratch, chain[i - 1]->name, *chain[i - 1]);
      return &scratch;
    }
    default: break;
  }
  scratch = eval(e, frame);
  return &scratch;
}

Value Evaluator::eval(const Instr& e, Frame& frame) {
  step();
  switch (e.node) {
    case Node::constant: return *e.value;
    case Node::param: return e.checked->dated ? dated(e.checked->name, *e.checked->dated) : *e.value;
    case Node::as_of: return options_.as_of;
    case Node::local: return frame[std::size_t(e.slot)];
    case Node::output: return outputs_[std::size_t(e.slot)];
    case Node::input: return member(doc_->root(), e.name, e);
    case Node::def: return def_value(std::size_t(e.slot));
    case Node::def_call: {
      std::vector<Value> args;
      for (const auto& k : e.operands()) args.push_back(eval(k, frame));
      return eval_top(program_.defs[std::size_t(e.slot)].body, args);
    }
    case Node::item_call: return item_verdict(*rule_->each, eval(e.kids[0], frame), nullptr);
    case Node::member: {
      Value scratch;
      return member(*place(e.kids[0], frame, scratch), e.name, e);
    }
    case Node::index: {
      Value base = eval(e.kids[0], frame);
      Value i = eval(e.kids[1], frame);
      bool is_key = i.kind() == Kind::string || i.kind() == Kind::number;
      if (base.is_unknown() && is_key)  // name the missing figure itself: $.years.2025.grants
        return member(base, i.kind() == Kind::string ? i.as_string() : i.as_number().to_key(), e);
      if (base.is_unknown() || i.is_unknown()) return Value::unknown_of(base, i);
      if (base.kind() == Kind::object) {  // by key: yearly figures as {"2025": …, "2026": …}
        if (i.kind() != Kind::string && i.kind() != Kind::number)
          type_error(e.kids[1], frame, "an object's key must be a string or a number, got " + describe(i));
        return member(base, i.kind() == Kind::string ? i.as_string() : i.as_number().to_key(), e);
      }
      if (base.kind() != Kind::list)
        type_error(e.kids[0], frame, "only a list or an object can be indexed, got " + describe(base));
      auto n = i.kind() == Kind::number ? i.as_number().to_int64() : std::nullopt;
      if (!n || *n < 0) type_error(e.kids[1], frame, "an index must be a whole number >= 0, got " + describe(i));
      const List& l = base.as_list();
      if (std::size_t(*n) >= l.items.size()) return Value::missing(l.path + "[" + std::to_string(*n) + "]");
      Value scratch;
      return ir::element(l, std::size_t(*n), scratch);
    }
    case Node::unary: {
      Value x = eval(e.kids[0], frame);
      if (x.is_unknown()) return x;
      if (e.op == Op::not_) {
        if (x.kind() != Kind::boolean) type_error(e.kids[0], frame, "'not' needs a boolean, got " + describe(x));
        return Value(!x.as_bool());
      }
      if (x.kind() != Kind::number) type_error(e.kids[0], frame, "'-' needs a number, got " + describe(x));
      return Value(-x.as_number());
    }
    case Node::binary: return binary(e, frame);
    case Node::logical: return logical(e, frame);
    case Node::cond: {
      Value c = eval(e.kids[0], frame);
      if (c.is_unknown()) return open_branches(e, frame, c);
      if (c.kind() != Kind::boolean) type_error(e.kids[0], frame, "'if' needs a boolean, got " + describe(c));
      return eval(e.kids[c.as_bool() ? 1 : 2], frame);
    }
    case Node::call: {
      if (e.fused) step();  // the step of the call it stands for too
      CallArgs args(*this, e, frame);
      if (!e.fn->has(ir::handles_unknown)) {
        bool open = false;
        for (std::size_t i = 0; i < e.nkids; ++i)
          if (e.kids[i].node != Node::lambda) open |= args.get(i).is_unknown();
        if (open) {  // the arguments' missing paths, all of them
          Unknowns unknown;
          for (std::size_t i = 0; i < e.nkids; ++i)
            if (e.kids[i].node != Node::lambda) unknown.add(args.get(i));
          return unknown.value();
        }
      }
      try {
        return e.fn->impl(args);
      } catch (const DecimalError& err) {
        throw EvalError(std::string(e.name) + ": " + err.what(), e.checked->loc);
      }
    }
    case Node::lambda: throw EvalError("a lambda is not a value", e.checked->loc);
    case Node::list: {
      produce(e.nkids * sizeof(Value));
      std::vector<Value> items;
      items.reserve(e.nkids);
      for (const auto& k : e.operands()) {
        items.push_back(eval(k, frame));
        produce(ir::shared_size(items.back()));
      }
      return Value::list(std::move(items));
    }
  }
  throw EvalError("internal: unknown node", e.checked->loc);
}

// The value a dated param has on the rule's param date: the last that took effect by then.
Value Evaluator::dated(const std::string& name, const ir::DatedValues& values) const {
  if (param_date_.is_unknown()) return param_date_;  // ask for the date that selects it
  Date day = param_date_.as_date();
  auto after = std::upper_bound(values.begin(), values.end(), day, [](Date d, const auto& v) { return d < v.first; });
  if (after == values.begin()) return Value::missing("param " + name);  // no value yet on that day
  return std::prev(after)->second;
}

Value Evaluator::binary(const Instr& e, Frame& frame) {
  Value a_scratch, b_scratch;  // the operands are read where they lie when they can be
  const Value& a = *place(e.kids[0], frame, a_scratch);
  const Value& b = *place(e.kids[1], frame, b_scratch);
  if (e.op == Op::in || e.op == Op::not_in) {
    if (a.is_unknown() || b.is_unknown()) return Value::unknown_of(a, b);
    bool found = false;
    if (b.kind() == Kind::string) {
      if (a.kind() != Kind::string) type_error(e.kids[0], frame, "'in' a string needs a string, got " + describe(a));
      scan(a.as_string().size() + b.as_string().size());
      found = ir::text_contains(b.as_string(), a.as_string());
    } else if (b.kind() == Kind::list) {
      const List& l = b.as_list();
      iterate(l.items.size());
      Unknowns unknown;
      Value scratch;
      for (std::size_t i = 0; i < l.items.size() && !found; ++i) {
        Value same = equal(e, frame, ir::element(l, i, scratch), a);
        if (same.is_unknown())
          unknown.add(same);
        else
          found = same.as_bool();
      }
      if (!found && unknown) return unknown.value();
    } else {
      type_error(e.kids[1], frame, "'in' needs a list or a string on its right, got " + describe(b));
    }
    return Value(found == (e.op == Op::in));
  }
  if (a.is_unknown() || b.is_unknown()) return Value::unknown_of(a, b);
  auto mismatch = [&](const char* what) {
    type_error(data_side(e), frame, std::string(what) + " " + describe(a) + " and " + describe(b));
  };
  if (a.kind() == Kind::string && b.kind() == Kind::string)  // comparing or joining texts costs by their length
    scan(std::min(a.as_string().size(), b.as_string().size()));
  if (a.kind() == Kind::list && b.kind() == Kind::list)  // and lists by their elements
    iterate(std::min(a.as_list().items.size(), b.as_list().items.size()));
  try {
    switch (e.op) {
      case Op::eq:
      case Op::ne:
        if (a.kind() != b.kind() && a.kind() != Kind::null && b.kind() != Kind::null) mismatch("cannot compare");
        if (a.kind() == Kind::object && b.kind() == Kind::object)  // as lists are, above
          iterate(std::min(a.as_object().members.size(), b.as_object().members.size()));
        if (a.kind() == Kind::list || a.kind() == Kind::object) {  // by their parts, which may be unknown
          Value same = equal(e, frame, a, b);
          return same.is_unknown() ? same : Value(same.as_bool() == (e.op == Op::eq));
        }
        if (a.kind() == Kind::string && b.kind() == Kind::string)  // the common case, inline
          return Value(same_text(a.as_string(), b.as_string()) == (e.op == Op::eq));
        return Value((a == b) == (e.op == Op::eq));
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge: {
        int c = 0;
        if (a.kind() == Kind::number && b.kind() == Kind::number) {
          auto o = a.as_number() <=> b.as_number();
          c = o < 0 ? -1 : o > 0;
        } else if (a.kind() == Kind::date && b.kind() == Kind::date) {
          c = a.as_date() < b.as_date() ? -1 : a.as_date() > b.as_date();
        } else if (a.kind() == Kind::string && b.kind() == Kind::string) {
          c = a.as_string().compare(b.as_string());
        } else {
          mismatch("cannot order");
        }
        switch (e.op) {
          case Op::lt: return Value(c < 0);
          case Op::le: return Value(c <= 0);
          case Op::gt: return Value(c > 0);
          default: return Value(c >= 0);
        }
      }
      case Op::add:
        if (a.kind() == Kind::string && b.kind() == Kind::string) {
          produce(a.as_string().size() + b.as_string().size());
          return Value(a.as_string() + b.as_string());
        }
        [[fallthrough]];
      case Op::sub:
      case Op::mul:
      case Op::div:
        if (a.kind() != Kind::number || b.kind() != Kind::number) mismatch("arithmetic needs numbers, got");
        switch (e.op) {
          case Op::add: return a.as_number() + b.as_number();
          case Op::sub: return a.as_number() - b.as_number();
          case Op::mul: return a.as_number() * b.as_number();
          default: return a.as_number() / b.as_number();
        }
      default: break;
    }
  } catch (const DecimalError& err) {
    throw EvalError(err.what(), e.checked->loc);
  }
  throw EvalError("internal: unknown operator", e.checked->loc);
}

Value Evaluator::equal(const Instr& e, Frame& frame, const Value& a, const Value& b) {
  try {
    return ir::equal(a, b);
  } catch (const ir::KindMismatch& m) {  // the parts that differ, named as a scalar mismatch is
    type_error(data_side(e), frame, "cannot compare " + describe(m.a) + " and " + describe(m.b));
  }
}

// Kleene logic: false and x = false, true or x = true, otherwise unknown propagates.
Value Evaluator::logical(const Instr& e, Frame& frame) {
  bool is_and = e.op == Op::and_;
  Value a = eval(e.kids[0], frame);
  if (!a.is_unknown() && a.kind() != Kind::boolean)
    type_error(e.kids[0], frame, std::string(is_and ? "'and'" : "'or'") + " needs booleans, got " + describe(a));
  if (!a.is_unknown() && a.as_bool() != is_and) return a;  // decided by the left side alone
  Value b = eval(e.kids[1], frame);
  if (!b.is_unknown() && b.kind() != Kind::boolean)
    type_error(e.kids[1], frame, std::string(is_and ? "'and'" : "'or'") + " needs booleans, got " + describe(b));
  if (!b.is_unknown() && b.as_bool() != is_and) return b;
  if (a.is_unknown() || b.is_unknown()) return Value::unknown_of(a, b);
  return Value(is_and);
}

// A branch is looked into, not taken: an error in it (a type the data may yet correct, a branch
// that would never run) says nothing, but the budget still bounds the work.
Value Evaluator::open_branches(const Instr& e, Frame& frame, const Value& c) {
  Unknowns unknown;
  unknown.add(c);
  const auto& asked = c.missing_paths();
  for (std::size_t k = 1; k <= 2; ++k) {
    try {
      Value branch = eval(e.kids[k], frame);
      // Only a branch that asks for more changes the answer (and the order of what it asks).
      const auto& more = branch.missing_paths();
      if (!std::includes(asked.begin(), asked.end(), more.begin(), more.end())) unknown.add(branch);
    } catch (const EvalError&) {
      if (steps_ > options_.max_steps || bytes_ > options_.max_value_bytes) throw;
    }
  }
  return unknown.value();
}

// Frames are reused across calls (one per nesting level), so evaluating allocates no frame.
Value Evaluator::eval_top(const CompiledExpr& c, std::span<const Value> locals) {
  if (frames_.size() <= depth_) frames_.resize(depth_ + 1);
  Frame& frame = frames_[depth_];
  frame.assign(locals.begin(), locals.end());
  frame.resize(std::size_t(std::max<int>(c.frame_size, int(locals.size()))));
  ++depth_;
  struct Leave {
    std::size_t& d;
    ~Leave() { --d; }
  } leave{depth_};
  try {
    return eval(c.code.root(), frame);
  } catch (EvalError& err) {  // the budget knows no place: name the expression that ran out of it
    if (!err.loc.known()) err.loc = c.expr->loc;
    throw;
  }
}

// All conditions are evaluated (not short-circuited) so that every reason is reported. While the
// element's date is unknown, a failure does not decide its outcome: dated outside the period, it
// would not be judged at all (not_applicable), so its date is asked for first. It does decide the
// predicate (`qualifies(t)`, detail null): refused or not judged, the element does not qualify.
Value Evaluator::item_verdict(const CompiledEach& each, const Value& element, ItemDecision* detail) {
  bool failed = false, date_open = false;
  Unknowns unknown;
  if (each.dated) {
    Value when = eval_top(*each.dated, std::span<const Value>(&element, 1));
    switch (date_standing(when, each.dated->expr->loc)) {
      case DateStanding::unknown:
        unknown.add(when);
        date_open = true;
        break;
      case DateStanding::outside_period:
        if (detail) {
          detail->outcome = Outcome::not_applicable;
          detail->reason = outside_period_reason(when.as_date());
        }
        return Value(false);  // not judged: it neither qualifies nor counts as refused
      case DateStanding::after_review:
        failed = true;
        if (!detail) return Value(false);
        add_failure(detail->failed, "dated", each.dated->expr->loc,
                    [&] { return after_review_reason(when.as_date()); });
        break;
      case DateStanding::judged: break;
    }
  }
  for (const auto& c : each.conditions) {
    Value v = eval_top(c.require, std::span<const Value>(&element, 1));
    if (v.is_unknown()) {
      unknown.add(v);
    } else if (v.kind() != Kind::boolean) {
      throw EvalError("condition '" + c.name + "' must be true or false, got " + describe(v), c.require.expr->loc);
    } else if (!v.as_bool()) {
      failed = true;
      if (!detail) return Value(false);
      add_failure(detail->failed, c.name, c.require.expr->loc, [&]() -> const Text& { return c.message; });
    }
  }
  if (failed && !date_open) return Value(false);
  if (!unknown) return Value(true);
  Value open = unknown.value();
  if (detail) merge_missing(detail->missing, open);
  return open;
}

Evaluator::DateStanding Evaluator::date_standing(const Value& when, const SourceLoc& at) const {
  if (when.is_unknown()) return DateStanding::unknown;
  if (when.kind() != Kind::date) throw EvalError("'dated' must be a date, got " + describe(when), at);
  const PackInfo& info = program_.info;
  // A date after the review date is refused first: data from the future is wrong whatever plan it falls under.
  if (options_.as_of < when.as_date()) return DateStanding::after_review;
  if (when.as_date() < info.effective_from || info.effective_to < when.as_date()) return DateStanding::outside_period;
  return DateStanding::judged;
}

Text Evaluator::outside_period_reason(const Date& when) const {
  const PackInfo& info = program_.info;
  return {"数据日期 " + when.to_string() + " 不在方案有效期 " + info.effective_from.to_string() + " 至 " +
              info.effective_to.to_string() + " 内",
          "the data is dated " + when.to_string() + ", outside the plan's period " + info.effective_from.to_string() +
              " … " + info.effective_to.to_string()};
}

Text Evaluator::after_review_reason(const Date& when) const {
  return {"数据日期 " + when.to_string() + " 晚于评估日期 " + options_.as_of.to_string() + "，不予认定",
          "the data is dated " + when.to_string() + ", after the review date " + options_.as_of.to_string() +
              "; it is not accepted"};
}

// Written in place into the decision's list: a rule's decision is large to move.
void Evaluator::rule(const CompiledRule& r, RuleDecision& d) {
  rule_ = &r;
  outputs_.clear();
  // A def's value is the same for every rule, unless the trace records each rule's own reads or
  // a dated param makes it depend on the rule's param date.
  if (options_.trace || program_.has_dated_params || defs_.size() != program_.defs.size())
    defs_.assign(program_.defs.size(), std::nullopt);
  def_costs_.resize(program_.defs.size());
  def_charged_.assign(program_.defs.size(), false);
  param_date_ = options_.as_of;
  inputs_read_.clear();
  inputs_seen_.clear();
  steps_ = bytes_ = 0;

  // `d` may hold the previous document's decision on this rule: each member is written over, as
  // assignment keeps a string's memory; lists are emptied, keeping theirs.
  d.id = r.id;
  d.severity = r.severity;
  d.outcome = Outcome::pass;
  d.reason.zh.clear();
  d.reason.en.clear();
  d.justification.clear();
  d.outputs.clear();
  recycle(d.failed);
  for (auto& item : d.items) recycle(item.failed);
  d.missing.clear();
  d.items.clear();
  d.error.reset();
  d.trace.clear();
  const PackInfo& info = program_.info;
  auto explained = [&](std::string& to, const std::string& from) {
    if (options_.explain)
      to = from;
    else
      to.clear();
  };
  explained(d.title.zh, r.title.zh);
  explained(d.title.en, r.title.en);
  explained(d.note.zh, r.note.zh);
  explained(d.note.en, r.note.en);
  explained(d.citation.pack, info.id);
  explained(d.citation.version, info.version);
  explained(d.citation.document, info.document);
  explained(d.citation.clause, r.clause);
  explained(d.citation.quote, r.quote);
  // Two dates: the plan governs events in its period, and a review may come after it ends;
  // only a review before the plan took effect has nothing to judge.
  if (options_.as_of < info.effective_from) {
    d.outcome = Outcome::not_applicable;
    d.reason = {"评估日期 " + options_.as_of.to_string() + " 早于方案施行日期 " + info.effective_from.to_string() +
                    "，方案尚未施行",
                "the review date " + options_.as_of.to_string() + " is before the plan took effect on " +
                    info.effective_from.to_string()};
    return;
  }
  std::vector<TraceEntry> trace;
  std::vector<std::string> missing;
  bool failed = false, unknown = false, applies_open = false, answer_open = false, refused_future = false;
  try {
    if (r.param_date) {
      param_date_ = eval_top(*r.param_date);
      if (!param_date_.is_unknown() && param_date_.kind() != Kind::date)
        throw EvalError("'param_date' must be a date, got " + describe(param_date_), r.param_date->expr->loc);
    }
  } catch (const EvalError& e) {
    d.outcome = Outcome::error;
    d.error = Error{Error::Code::eval, e.what(), e.loc, e.json_path, {}};
    return;
  }
  for (const auto& p : r.params_used) {
    if (!options_.trace) break;  // rendering values costs; only a trace shows them
    Value v = p.dated ? dated(p.name, *p.dated) : p.value;
    std::string shown = v.is_unknown()
                            ? (p.dated ? "no value on " + (param_date_.is_unknown() ? std::string("an unknown date")
                                                                                    : param_date_.to_display())
                                       : "unset")
                            : v.to_display();
    if (p.dated && !v.is_unknown()) shown += " (in effect on " + param_date_.to_display() + ")";
    trace.push_back({"param", p.name, shown});
  }
  std::vector<TraceEntry> verdicts;
  try {
    if (r.applies) {
      Value a = eval_top(*r.applies);
      if (a.is_unknown()) {
        unknown = applies_open = true;
        merge_missing(missing, a);
      } else if (a.kind() != Kind::boolean) {
        throw EvalError("'applies' must be true or false, got " + describe(a), r.applies->expr->loc);
      } else if (!a.as_bool()) {
        d.outcome = Outcome::not_applicable;
        d.reason = {"本条款的适用条件不成立", "the clause's conditions of application do not hold"};
        return;
      }
    }
    // Read even while `applies` is open: dated outside the period, the rule does not apply
    // whatever `applies` turns out to be, and nothing is asked for.
    if (r.dated) {
      Value when = eval_top(*r.dated);
      switch (date_standing(when, r.dated->expr->loc)) {
        case DateStanding::unknown:  // outside the period the rule would not apply: as an open `applies`
          unknown = applies_open = true;
          merge_missing(missing, when);
          break;
        case DateStanding::outside_period:
          d.outcome = Outcome::not_applicable;
          d.reason = outside_period_reason(when.as_date());
          return;
        case DateStanding::after_review:
          failed = refused_future = true;
          add_failure(d.failed, "dated", r.dated->expr->loc, [&] { return after_review_reason(when.as_date()); });
          break;
        case DateStanding::judged: break;
      }
    }
    if (r.each && !unknown) {
      Value list = eval_top(r.each->in);
      if (list.is_unknown()) {
        unknown = true;
        merge_missing(missing, list);
      } else if (list.kind() != Kind::list) {
        throw EvalError("'each: in' must be a list, got " + describe(list), r.each->in.expr->loc);
      } else {
        const List& l = list.as_list();
        iterate(l.items.size());
        std::size_t passed = 0, open = 0, skipped = 0, open_refused = 0;
        Value scratch;
        for (std::size_t i = 0; i < l.items.size(); ++i) {
          const Value& element = ir::element(l, i, scratch);
          ItemDecision item;
          item.key = std::to_string(i);
          if (r.each->key) {
            Value k = eval_top(*r.each->key, std::span<const Value>(&element, 1));
            if (!k.is_unknown()) item.key = k.kind() == Kind::string ? k.as_string() : k.to_display();
            produce(item.key.size());  // each element's key is written out: a long text repeated is charged
          }
          Value v = item_verdict(*r.each, element, &item);
          if (item.outcome == Outcome::not_applicable)
            ++skipped;
          else
            item.outcome = v.is_unknown() ? Outcome::needs_info : v.as_bool() ? Outcome::pass : Outcome::fail;
          passed += item.outcome == Outcome::pass;
          if (item.outcome == Outcome::needs_info) {
            ++open;
            open_refused += !item.failed.empty();  // only its date is open: it cannot pass
            missing.insert(missing.end(), item.missing.begin(), item.missing.end());
          }
          if (options_.trace) verdicts.push_back({"item", item.key, std::string(to_string(item.outcome))});
          d.items.push_back(std::move(item));
        }
        std::size_t refused = l.items.size() - passed - open - skipped;
        // With `any`, when no open element can pass and one is refused within the period (so the
        // rule is not not_applicable whatever the open dates are), no element qualifies.
        const bool none_can_pass = !r.each->all && open == open_refused && refused > 0;
        if (skipped && skipped == l.items.size()) {
          d.outcome = Outcome::not_applicable;
          d.reason = {"全部 " + std::to_string(skipped) + " 项的日期均不在方案有效期内",
                      "all " + std::to_string(skipped) + " elements are dated outside the plan's period"};
          if (options_.trace) d.trace = std::move(trace);
          return;
        }
        if (r.each->all && refused) {  // every element must comply
          failed = true;
          add_failure(d.failed, r.each->name, r.each->in.expr->loc, [&] {
            return Text{std::to_string(refused) + " 项不符合（共 " + std::to_string(l.items.size()) + " 项）",
                        std::to_string(refused) + " of " + std::to_string(l.items.size()) + " elements do not comply"};
          });
        } else if (open && (r.each->all || passed == 0) && !none_can_pass) {  // with `any`, one that passes decides
          unknown = true;
        } else if (!r.each->all && passed == 0) {
          failed = true;
          add_failure(d.failed, r.each->name, r.each->in.expr->loc, [&] {
            return Text{"没有符合条件的项目（共 " + std::to_string(l.items.size()) + " 项）",
                        "no element qualifies (of " + std::to_string(l.items.size()) + ")"};
          });
        }
      }
    }
    for (const auto& o : r.outputs) {
      Value v = eval_top(o.expr);
      d.outputs.push_back({o.name, ValueArena::owned(v)});  // a decision outlives its document
      outputs_.push_back(std::move(v));
    }
    // Only an unknown answer leaves the rule undecided; other outputs are shown as unknown.
    for (std::size_t i : r.answer)
      if (outputs_[i].is_unknown()) {
        unknown = answer_open = true;
        merge_missing(missing, outputs_[i]);
      }
    std::vector<TraceEntry> checks;
    const std::size_t conditions_missing = missing.size();  // what the conditions lack comes after this
    for (const auto& c : r.conditions) {
      Value v = eval_top(c.require);
      if (v.is_unknown()) {
        unknown = true;
        merge_missing(missing, v);
        if (options_.trace) checks.push_back({"condition", c.name, "unknown"});
        continue;
      }
      if (v.kind() != Kind::boolean)
        throw EvalError("condition '" + c.name + "' must be true or false, got " + describe(v), c.require.expr->loc);
      if (options_.trace) checks.push_back({"condition", c.name, v.as_bool() ? "true" : "false"});
      if (!v.as_bool()) {
        failed = true;
        add_failure(d.failed, c.name, c.loc, [&]() -> const Text& { return c.message; });
      }
    }
    // While 'applies' (or the rule's date) is open, a failure may still turn out not_applicable: ask first.
    d.outcome = applies_open ? Outcome::needs_info
                : failed     ? Outcome::fail
                : unknown    ? Outcome::needs_info
                             : Outcome::pass;
    // 原则上: a warning's failure is cleared by a justification recorded in the data, and so is a
    // condition still open (failing or not, the rule passes: its data is not asked for). Data dated
    // after the review date is refused whatever reason is given: no justification makes a future
    // event a past one. Nor does one answer whether the rule applies, or what its answer is.
    // While whether it applies is open, a reason given still makes the conditions' data needless:
    // once it applies, the reason clears them (and a future date fails it whatever they say).
    if ((failed || unknown) && r.justification && !refused_future && !answer_open) {
      Value why = eval_top(*r.justification);
      bool given =
          (why.kind() == Kind::string && !is_blank(why.as_string())) || (why.kind() == Kind::boolean && why.as_bool());
      if (given && applies_open) {
        missing.resize(conditions_missing);
      } else if (given) {
        d.outcome = Outcome::pass;
        d.justification = why.kind() == Kind::string ? why.as_string() : "true";
        if (options_.trace) checks.push_back({"justification", "justification", d.justification});
      }
    }
    if (d.outcome == Outcome::needs_info) {
      dedupe(missing);
      d.missing = std::move(missing);
    }
    if (options_.trace) {
      trace.insert(trace.end(), inputs_read_.begin(), inputs_read_.end());
      trace.insert(trace.end(), verdicts.begin(), verdicts.end());
      for (const auto& [name, value] : d.outputs) trace.push_back({"output", name, value.to_display()});
      trace.insert(trace.end(), checks.begin(), checks.end());
    }
  } catch (const EvalError& e) {
    d.outcome = Outcome::error;
    d.outputs.clear();
    Error err;
    err.code = Error::Code::eval;
    err.message = e.what();
    err.loc = e.loc;
    err.json_path = e.json_path;
    d.error = std::move(err);
  }
  if (options_.trace) d.trace = std::move(trace);
}

void require_as_of(const EvalOptions& options) {
  if (options.as_of == EvalOptions::unset_date)
    throw std::invalid_argument(
        "rulebook: evaluate() needs EvalOptions::as_of, the review date (rules never read a clock)");
}

Evaluator::Evaluator(const Program& program, const EvalOptions& options)
    : program_(program), options_(options), as_of_(options.as_of.to_string()) {}

Value Evaluator::constant(const CompiledExpr& c) {
  static const Document nothing = Document::make(Value::object({}), "");
  doc_ = &nothing;
  return eval_top(c);
}

void Evaluator::run(const Document& doc, Decision& out) {
  require_as_of(options_);
  doc_ = &doc;
  // Def values belong to one document; what computing them cost is recorded again as they are.
  defs_.assign(program_.defs.size(), std::nullopt);
  // Once decided, the document's values are let go (the memory that held them is kept): a
  // worker must not hold one large document while it reads the next.
  struct Release {
    Evaluator& ev;
    ~Release() {
      for (auto& f : ev.frames_) f.clear();
      ev.outputs_.clear();
      try {  // the lists a def built are built again in their memory for the next document
        for (auto& d : ev.defs_)
          if (d) ev.recycler_.give(std::move(*d));
      } catch (const std::bad_alloc&) {  // only keeping them failed: they are let go
      }
      ev.defs_.assign(ev.defs_.size(), std::nullopt);
      ev.param_date_ = Value();
      ev.doc_ = nullptr;
    }
  } release{*this};
  out.pack = program_.info.id;
  out.version = program_.info.version;
  out.document = doc.name();
  out.as_of = as_of_;
  out.rules.resize(program_.rules.size());
  for (std::size_t i = 0; i < program_.rules.size(); ++i) rule(program_.rules[i], out.rules[i]);
  out.outcome = outcome_of(out.rules);
}

}  // namespace rulebook::detail
