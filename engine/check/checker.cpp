#include "check/checker.hpp"

#include <algorithm>

#include "check/functions.hpp"
#include "value/spelling.hpp"

namespace rulebook::ir {

Type Type::from(const Shape* s) {
  if (!s) return {};
  Type t{s->kind, s, TypeKind::any};
  if (s->items) t.elem = s->items->kind;
  return t;
}

Type Type::element() const {
  if (shape && shape->items) return from(shape->items.get());
  return of(elem);
}

}  // namespace rulebook::ir

namespace rulebook::check {
namespace {

using ir::Expr;
using ir::ExprPtr;
using ir::Node;
using ir::Type;
using ir::TypeKind;
using Op = expr::Op;
namespace ast = expr::ast;


std::string suggest(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best = nearest(name, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}
std::string suggest_zh(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best = nearest(name, candidates);
  return best.empty() ? "" : "；是否应为「" + best + "」？";
}

bool known(TypeKind k) { return k != TypeKind::any; }

std::string a_type(TypeKind k) {
  std::string_view n = ir::type_name(k);
  return (n == "any" || n == "object" ? "an " : "a ") + std::string(n);
}
std::string a_type_zh(TypeKind k) {
  switch (k) {
    case TypeKind::any: return "任意值";
    case TypeKind::boolean: return "是/否";
    case TypeKind::number: return "数字";
    case TypeKind::date: return "日期";
    case TypeKind::string: return "文本";
    case TypeKind::list: return "列表";
    case TypeKind::object: return "对象";
    case TypeKind::null: return "空值";
  }
  return "?";
}

class Checker {
 public:
  Checker(const expr::Source& src, const expr::ParseResult& parsed, Environment& env, std::vector<Error>& errors)
      : src_(src), parsed_(parsed), env_(env), errors_(errors) {}

  void bind(const Local& l) {
    scope_.push_back({l.name, next_slot_++, l.type});
    frame_ = std::max(frame_, next_slot_);
  }
  int frame_size() const { return frame_; }
  bool failed() const { return failed_; }

  ExprPtr operand(const ast::Operand& o) {
    return boost::apply_visitor([this](const auto& node) { return visit(node); }, o);
  }

 private:
  struct Scoped {
    std::string name;
    int slot;
    Type type;
  };

  template <typename T>
  ExprPtr visit(const boost::spirit::x3::forward_ast<T>& f) {
    return visit(f.get());
  }

  ExprPtr make(Node n, const boost::spirit::x3::position_tagged& at, Type t = {}) {
    auto e = std::make_unique<Expr>();
    e->node = n;
    e->type = t;
    e->loc = src_.map.locate(parsed_.span_of(at).begin);
    return e;
  }

  // Reports and returns a placeholder so that checking goes on and finds more errors. `zh`: the
  // message in Chinese, for the playground (empty: not translated yet, the English is shown).
  ExprPtr error(const boost::spirit::x3::position_tagged& at, Error::Code code, std::string message,
                std::string zh = {}) {
    errors_.push_back(src_.map.error_at(parsed_.span_of(at).begin, code, std::move(message)));
    errors_.back().message_zh = std::move(zh);
    failed_ = true;
    return make(Node::constant, at);
  }

  ExprPtr visit(const ast::Number& n) {
    auto d = Decimal::parse(n.digits);
    if (!d) return error(n, Error::Code::syntax, "number out of range (more than 36 digits)");
    try {
      if (n.suffix == "%")
        d = d->shifted(-2);
      else if (n.suffix == "万")
        d = d->shifted(4);
      else if (n.suffix == "亿")
        d = d->shifted(8);
    } catch (const DecimalError& e) {
      return error(n, Error::Code::syntax, e.what());
    }
    auto e = make(Node::constant, n, Type::of(TypeKind::number));
    e->value = *d;
    return e;
  }

  ExprPtr visit(const ast::String& s) {
    auto e = make(Node::constant, s, Type::of(TypeKind::string));
    e->value = Value(s.value);
    return e;
  }

  ExprPtr visit(const ast::Keyword& k) {
    bool is_null = k.word == "null";
    auto e = make(Node::constant, k, Type::of(is_null ? TypeKind::null : TypeKind::boolean));
    e->value = is_null ? Value(nullptr) : Value(k.word == "true");
    return e;
  }

  ExprPtr visit(const ast::DateLit& d) {
    auto date = Date::parse(d.text);
    if (!date) return error(d, Error::Code::syntax, "'" + d.text + "' is not a calendar date");
    auto e = make(Node::constant, d, Type::of(TypeKind::date));
    e->value = *date;
    return e;
  }

  ExprPtr visit(const ast::Name& n) {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it)
      if (it->name == n.name) {
        auto e = make(Node::local, n, it->type);
        e->slot = it->slot;
        return e;
      }
    if (n.name == "as_of") return make(Node::as_of, n, Type::of(TypeKind::date));
    if (auto b = env_.resolve(n.name)) {
      switch (b->kind) {
        case Binding::Kind::param: {
          auto e = make(Node::param, n, b->type);
          e->name = n.name;
          e->value = b->value;
          e->dated = b->dated;
          return e;
        }
        case Binding::Kind::def: {
          auto e = make(Node::def, n, b->type);
          e->name = n.name;
          e->slot = b->index;
          return e;
        }
        case Binding::Kind::output: {
          auto e = make(Node::output, n, b->type);
          e->name = n.name;
          e->slot = b->index;
          return e;
        }
        case Binding::Kind::def_fn:
        case Binding::Kind::item_fn:
          return error(n, Error::Code::name,
                       "'" + n.name + "' takes " + std::to_string(b->arity) + " argument(s): write " + n.name + "(…)",
                       "「" + n.name + "」需要 " + std::to_string(b->arity) + " 个参数：应写作 " + n.name + "(…)");
      }
    }
    if (ir::find_function(n.name))
      return error(n, Error::Code::name, "'" + n.name + "' is a function: write " + n.name + "(…)",
                   "「" + n.name + "」是函数：应写作 " + n.name + "(…)");
    const ir::Shape* subject = env_.subject();
    if (subject) {
      auto p = subject->properties.find(n.name);
      if (p == subject->properties.end()) {
        auto names = env_.names();
        for (const auto& [k, v] : subject->properties) names.push_back(k);
        for (const auto& s : scope_) names.push_back(s.name);
        return error(
            n, Error::Code::name,
            "unknown name '" + n.name + "': not a param, def or field of the subject" + suggest(n.name, names),
            "未知名称「" + n.name + "」：既不是参数、定义（def），也不是申报材料的字段" + suggest_zh(n.name, names));
      }
      auto e = make(Node::input, n, Type::from(p->second.get()));
      e->name = n.name;
      return e;
    }
    auto e = make(Node::input, n);
    e->name = n.name;
    return e;
  }

  ExprPtr visit(const ast::Unary& u) {
    auto x = operand(u.operand);
    bool is_not = u.op == Op::not_;
    TypeKind want = is_not ? TypeKind::boolean : TypeKind::number;
    if (known(x->type.kind) && x->type.kind != want)
      return error(
          u, Error::Code::type,
          std::string(is_not ? "'not' needs" : "'-' needs") + " " + a_type(want) + ", got " + a_type(x->type.kind),
          std::string(is_not ? "「not」" : "「-」") + "需要" + a_type_zh(want) + "，实际为" + a_type_zh(x->type.kind));
    auto e = make(Node::unary, u, Type::of(want));
    e->op = u.op;
    e->kids.push_back(std::move(x));
    return e;
  }

  ExprPtr visit(const ast::Chain& c) {
    auto lhs = operand(c.first);
    int comparisons = 0;
    for (const auto& step : c.rest) {
      bool is_cmp = step.op >= Op::eq && step.op <= Op::not_in;
      if (is_cmp && ++comparisons > 1)
        return error(step, Error::Code::syntax, "comparisons do not chain: write a < b and b < c",
                     "比较不能连写：应写作 a < b and b < c");
      auto rhs = operand(step.operand);
      lhs = binary(step, step.op, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  ExprPtr binary(const boost::spirit::x3::position_tagged& at, Op op, ExprPtr a, ExprPtr b) {
    TypeKind ta = a->type.kind, tb = b->type.kind;
    bool both = known(ta) && known(tb);
    Type result;
    Node node = Node::binary;
    auto mismatch = [&](const std::string& what, const std::string& zh) {
      return error(at, Error::Code::type, what + " " + a_type(ta) + " and " + a_type(tb),
                   a_type_zh(ta) + "与" + a_type_zh(tb) + zh);
    };
    switch (op) {
      case Op::and_:
      case Op::or_:
        for (TypeKind t : {ta, tb})
          if (known(t) && t != TypeKind::boolean)
            return error(at, Error::Code::type,
                         std::string(op == Op::and_ ? "'and'" : "'or'") + " needs booleans, got " + a_type(t),
                         std::string(op == Op::and_ ? "「and」" : "「or」") + "两边须为是/否，实际为" + a_type_zh(t));
        node = Node::logical;
        result = Type::of(TypeKind::boolean);
        break;
      case Op::add:
        if (ta == TypeKind::date || tb == TypeKind::date)
          return error(at, Error::Code::type,
                       "cannot add to a date with '+': use add_days(date, n), add_months or add_years",
                       "日期不能用「+」相加：请用 add_days(日期, 天数)、add_months 或 add_years");
        if (both && !(ta == tb && (ta == TypeKind::number || ta == TypeKind::string)))
          return mismatch("cannot add", "不能相加");
        result = Type::of(known(ta) ? ta : tb);
        break;
      case Op::sub:
      case Op::mul:
      case Op::div:
        if (op == Op::sub && ta == TypeKind::date && tb == TypeKind::date)
          return error(at, Error::Code::type, "cannot subtract dates with '-': use days_between(from, to)",
                       "日期不能用「-」相减：请用 days_between(起, 止)");
        for (TypeKind t : {ta, tb})
          if (known(t) && t != TypeKind::number)
            return error(at, Error::Code::type, "arithmetic needs numbers, got " + a_type(t),
                         "算术运算需要数字，实际为" + a_type_zh(t));
        result = Type::of(TypeKind::number);
        break;
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge:
        for (TypeKind t : {ta, tb})
          if (known(t) && t != TypeKind::number && t != TypeKind::date && t != TypeKind::string)
            return error(at, Error::Code::type, "cannot order " + a_type(t) + " values", a_type_zh(t) + "不能比较大小");
        if (both && ta != tb) return mismatch("cannot compare", "不能比较");
        result = Type::of(TypeKind::boolean);
        break;
      case Op::eq:
      case Op::ne:
        if (both && ta != tb && ta != TypeKind::null && tb != TypeKind::null)
          return mismatch("comparing is never true between", "比较永远不会相等");
        result = Type::of(TypeKind::boolean);
        break;
      case Op::in:
      case Op::not_in:
        if (known(tb) && tb != TypeKind::list && tb != TypeKind::string)
          return error(at, Error::Code::type, "'in' needs a list or a string on its right, got " + a_type(tb),
                       "「in」右边须为列表或文本，实际为" + a_type_zh(tb));
        // As == is: a value of one kind is never found among another's (1 in ["1"]).
        if (TypeKind te = tb == TypeKind::string ? tb : b->type.elem;
            known(ta) && known(te) && ta != te && ta != TypeKind::null && te != TypeKind::null)
          return error(at, Error::Code::type,
                       "'in' is never true: " + a_type(ta) + " is never among " +
                           (tb == TypeKind::string ? "a string's characters" : std::string(ir::type_name(te)) + "s"),
                       "「in」永远不成立：" + a_type_zh(ta) + "不会出现在" +
                           (tb == TypeKind::string ? std::string("文本") : "元素为" + a_type_zh(te) + "的列表") + "中");
        result = Type::of(TypeKind::boolean);
        break;
      default: return error(at, Error::Code::syntax, "unexpected operator");
    }
    auto e = make(node, at, result);
    e->loc = a->loc;
    e->op = op;
    e->kids.push_back(std::move(a));
    e->kids.push_back(std::move(b));
    return e;
  }

  ExprPtr visit(const ast::Conditional& c) {
    auto cond = operand(c.condition);
    if (known(cond->type.kind) && cond->type.kind != TypeKind::boolean)
      return error(c, Error::Code::type, "'if' needs a boolean condition, got " + a_type(cond->type.kind),
                   "「if」的条件须为是/否，实际为" + a_type_zh(cond->type.kind));
    auto a = operand(c.then_branch);
    auto b = operand(c.else_branch);
    Type t = a->type.kind == b->type.kind ? a->type : Type{};
    auto e = make(Node::cond, c, t);
    e->kids.push_back(std::move(cond));
    e->kids.push_back(std::move(a));
    e->kids.push_back(std::move(b));
    return e;
  }

  ExprPtr visit(const ast::ListLit& l) {
    auto e = make(Node::list, l, Type::of(TypeKind::list));
    std::optional<TypeKind> elem;
    for (const auto& item : l.items) {
      e->kids.push_back(operand(item));
      TypeKind k = e->kids.back()->type.kind;
      elem = !elem || *elem == k ? k : TypeKind::any;
    }
    e->type.elem = elem.value_or(TypeKind::any);
    return e;
  }

  ExprPtr visit(const ast::Postfix& p) {
    auto base = operand(p.base);
    for (const auto& access : p.accesses)
      base = boost::apply_visitor([&](const auto& a) { return this->access(std::move(base), a); }, access);
    return base;
  }

  ExprPtr access(ExprPtr base, const ast::Field& f) {
    Type t = base->type;
    Type result;
    if (t.kind == TypeKind::list)
      return error(f, Error::Code::type,
                   "a list has no field '" + f.name + "': use an index [0] or map(list, x -> x." + f.name + ")",
                   "列表没有字段「" + f.name + "」：请用下标 [0] 或 map(列表, x -> x." + f.name + ")");
    if (known(t.kind) && t.kind != TypeKind::object)
      return error(f, Error::Code::type, a_type(t.kind) + " has no field '" + f.name + "'",
                   a_type_zh(t.kind) + "没有字段「" + f.name + "」");
    if (t.shape && !t.shape->properties.empty()) {
      auto p = t.shape->properties.find(f.name);
      if (p == t.shape->properties.end()) {
        std::vector<std::string> names;
        std::string list;
        for (const auto& [k, v] : t.shape->properties) names.push_back(k), list += (list.empty() ? "" : ", ") + k;
        return error(f, Error::Code::name,
                     "unknown field '" + f.name + "'" + suggest(f.name, names) + " (fields: " + list + ")",
                     "未知字段「" + f.name + "」" + suggest_zh(f.name, names) + "（可用字段：" + list + "）");
      }
      result = Type::from(p->second.get());
    }
    auto e = make(Node::member, f, result);
    e->loc = base->loc;
    e->name = f.name;
    e->kids.push_back(std::move(base));
    return e;
  }

  ExprPtr access(ExprPtr base, const ast::Index& i) {
    auto idx = operand(i.index);
    TypeKind kind = base->type.kind;
    if (known(kind) && kind != TypeKind::list && kind != TypeKind::object)
      return error(i, Error::Code::type, "only a list or an object can be indexed, not " + a_type(kind),
                   "只有列表或对象可以用下标取值，" + a_type_zh(kind) + "不可以");
    TypeKind want = kind == TypeKind::list ? TypeKind::number : TypeKind::any;
    if (known(want) && known(idx->type.kind) && idx->type.kind != want)
      return error(i, Error::Code::type, "an index must be a number, got " + a_type(idx->type.kind),
                   "下标须为数字，实际为" + a_type_zh(idx->type.kind));
    auto e = make(Node::index, i, kind == TypeKind::list ? base->type.element() : Type{});
    e->loc = base->loc;
    e->kids.push_back(std::move(base));
    e->kids.push_back(std::move(idx));
    return e;
  }

  ExprPtr visit(const ast::Lambda& l) {
    return error(l, Error::Code::syntax,
                 "a lambda (x -> …) can only be an argument of a function such as map or filter",
                 "匿名函数（x -> …）只能作为 map、filter 等函数的参数");
  }

  ExprPtr lambda(const ast::Lambda& l, std::size_t arity, Type param_type) {
    if (l.params.size() != arity)
      return error(
          l, Error::Code::name,
          "this lambda needs " + std::to_string(arity) + " parameter(s), not " + std::to_string(l.params.size()),
          "此匿名函数需要 " + std::to_string(arity) + " 个参数，而不是 " + std::to_string(l.params.size()) + " 个");
    auto e = make(Node::lambda, l);
    std::size_t depth = scope_.size();
    for (const auto& p : l.params) {
      e->slots.push_back(next_slot_);
      bind({p, param_type});
    }
    e->kids.push_back(operand(l.body));
    e->type = e->kids.back()->type;
    scope_.resize(depth);
    return e;
  }

  static const ast::Lambda* as_lambda(const ast::Operand& o) {
    const auto* f = boost::get<boost::spirit::x3::forward_ast<ast::Lambda>>(&o);
    return f ? &f->get() : nullptr;
  }

  ExprPtr visit(const ast::Call& c) {
    if (auto b = env_.resolve(c.function);
        b && (b->kind == Binding::Kind::def_fn || b->kind == Binding::Kind::item_fn)) {
      if (c.args.size() != std::size_t(b->arity))
        return error(c, Error::Code::name,
                     "'" + c.function + "' takes " + std::to_string(b->arity) + " argument(s), not " +
                         std::to_string(c.args.size()),
                     "「" + c.function + "」需要 " + std::to_string(b->arity) + " 个参数，而不是 " +
                         std::to_string(c.args.size()) + " 个");
      auto e = make(b->kind == Binding::Kind::def_fn ? Node::def_call : Node::item_call, c, b->type);
      e->name = c.function;
      e->slot = b->index;
      for (const auto& a : c.args) e->kids.push_back(operand(a));
      return e;
    }
    const ir::FunctionSpec* fn = ir::find_function(c.function);
    if (!fn && env_.resolve(c.function))  // an output, a local or a def that takes no arguments
      return error(c, Error::Code::name,
                   "'" + c.function + "' is a value here, not a function: it takes no arguments (an output or a " +
                       "local of that name hides a def)",
                   "「" + c.function + "」在此处是一个值而不是函数，不能带参数（同名的输出或局部变量会遮蔽定义）");
    if (!fn) {
      std::vector<std::string> names = env_.names();
      for (const auto& f : ir::all_functions()) names.emplace_back(f.name);
      return error(c, Error::Code::name, "unknown function '" + c.function + "'" + suggest(c.function, names),
                   "未知函数「" + c.function + "」" + suggest_zh(c.function, names));
    }
    int n = int(c.args.size());
    if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args))
      return error(c, Error::Code::name,
                   "wrong number of arguments to " + std::string(fn->name) + ": " + std::to_string(n) + " given; use " +
                       std::string(fn->signature),
                   std::string(fn->name) + " 的参数个数不对：给了 " + std::to_string(n) + " 个；用法：" +
                       std::string(fn->signature));
    auto e = make(Node::call, c);
    e->fn = fn;
    e->name = c.function;
    e->type = Type::of(fn->result);
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      ir::Arg kind = fn->args[std::min<std::size_t>(i, fn->args.size() - 1)];
      if (fn->max_args < 0) kind = fn->args[0];
      const ast::Lambda* l = as_lambda(c.args[i]);
      bool wants_lambda = kind == ir::Arg::lambda1 || kind == ir::Arg::lambda2;
      if (wants_lambda != (l != nullptr)) {
        e->kids.push_back(error(c, Error::Code::type,
                                std::string(fn->name) + ": argument " + std::to_string(i + 1) +
                                    (wants_lambda ? " must be a lambda (x -> …)" : " cannot be a lambda") + "; use " +
                                    std::string(fn->signature),
                                std::string(fn->name) + "：第 " + std::to_string(i + 1) + " 个参数" +
                                    (wants_lambda ? "须为匿名函数（x -> …）" : "不能是匿名函数") + "；用法：" +
                                    std::string(fn->signature)));
        continue;
      }
      if (l) {
        Type elem = e->kids.empty() ? Type{} : e->kids[0]->type.element();
        e->kids.push_back(lambda(*l, kind == ir::Arg::lambda1 ? 1 : 2, elem));
        continue;
      }
      auto arg = operand(c.args[i]);
      TypeKind want = kind == ir::Arg::number    ? TypeKind::number
                      : kind == ir::Arg::date    ? TypeKind::date
                      : kind == ir::Arg::string  ? TypeKind::string
                      : kind == ir::Arg::boolean ? TypeKind::boolean
                      : kind == ir::Arg::list    ? TypeKind::list
                                                 : TypeKind::any;
      if (known(want) && known(arg->type.kind) && arg->type.kind != want)
        arg = error(c, Error::Code::type,
                    std::string(fn->name) + ": argument " + std::to_string(i + 1) + " must be " + a_type(want) +
                        ", got " + a_type(arg->type.kind) + "; use " + std::string(fn->signature),
                    std::string(fn->name) + "：第 " + std::to_string(i + 1) + " 个参数须为" + a_type_zh(want) +
                        "，实际为" + a_type_zh(arg->type.kind) + "；用法：" + std::string(fn->signature));
      e->kids.push_back(std::move(arg));
    }
    // Result types that follow the arguments.
    if (fn->has(ir::result_of_lambda) && e->kids.size() == 2) e->type.elem = e->kids[1]->type.kind;
    if (fn->has(ir::result_as_list) && !e->kids.empty()) e->type = e->kids[0]->type;
    if (fn->has(ir::result_element) && !e->kids.empty()) {
      Type t = e->kids[0]->type;
      e->type = Type::of(e->kids.size() == 1 ? t.elem : t.kind);
    }
    if (fn->has(ir::result_numbers)) e->type.elem = TypeKind::number;
    return e;
  }

  const expr::Source& src_;
  const expr::ParseResult& parsed_;
  Environment& env_;
  std::vector<Error>& errors_;
  std::vector<Scoped> scope_;
  int next_slot_ = 0;
  int frame_ = 0;
  bool failed_ = false;
};

}  // namespace

std::optional<Checked> check(const expr::Source& source, Environment& env, const std::vector<Local>& locals,
                             std::vector<Error>& errors, const expr::Limits& limits) {
  expr::ParseResult parsed = expr::parse(source.text, limits);
  if (parsed.error) {
    errors.push_back(source.map.error_at(
        parsed.error->offset, parsed.error->message.starts_with("expected") ? Error::Code::syntax : Error::Code::limit,
        parsed.error->message));
    errors.back().message_zh = parsed.error->message_zh;
    return std::nullopt;
  }
  Checker checker(source, parsed, env, errors);
  for (const auto& l : locals) checker.bind(l);
  ir::ExprPtr e = checker.operand(parsed.tree);
  if (checker.failed()) return std::nullopt;
  // Brackets are bounded before parsing, but a chain 1+1+…+1 or a.a.a… becomes a tree as deep as
  // it is long, and every later pass recurses over the tree: bound its depth here, counted
  // without recursion.
  std::size_t deepest = 0;
  std::vector<std::pair<const ir::Expr*, std::size_t>> todo{{e.get(), 1}};
  while (!todo.empty()) {
    auto [x, depth] = todo.back();
    todo.pop_back();
    deepest = std::max(deepest, depth);
    for (const auto& k : x->kids) todo.push_back({k.get(), depth + 1});
  }
  if (deepest > limits.max_tree_depth) {
    errors.push_back(source.map.error_at(0, Error::Code::limit,
                                         "expression nested too deeply: " + std::to_string(deepest) +
                                             " levels of operators, calls and accesses (at most " +
                                             std::to_string(limits.max_tree_depth) + "); split it into defs"));
    return std::nullopt;
  }
  return Checked{std::move(e), checker.frame_size()};
}

}  // namespace rulebook::check
