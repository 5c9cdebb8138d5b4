// rulebook lint: load errors, the loader's drafting warnings, and the checks only a view of
// the whole pack can make (what is never used, what is constant, which rules no case tests).
// A rule without a quote or a clause does not load: the loader reports it as an error.

#include "rulebook/lint.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "check/functions.hpp"
#include "compile/pack_access.hpp"
#include "eval/evaluator.hpp"
#include "pack/pack.hpp"
#include "report/json_writer.hpp"
#include "rulebook/cases.hpp"
#include "value/spelling.hpp"

namespace rulebook {
namespace {

using ir::Node;
using Op = expr::Op;

std::string code_name(Error::Code c) {
  switch (c) {
    case Error::Code::io: return "io";
    case Error::Code::yaml: return "yaml";
    case Error::Code::syntax: return "syntax";
    case Error::Code::name: return "name";
    case Error::Code::type: return "type";
    case Error::Code::json: return "json";
    case Error::Code::input: return "input";
    case Error::Code::limit: return "limit";
    case Error::Code::eval: return "eval";
    case Error::Code::schema: return "schema";
  }
  return "error";
}

// Every node of an expression tree, depth first.
template <class F>
void each_node(const ir::Expr& e, F&& f) {
  f(e);
  for (const auto& k : e.kids) each_node(*k, f);
}

// Does the expression depend on anything but params and literals?
bool reads_anything(const ir::Expr& e) {
  bool reads = false;
  each_node(e, [&](const ir::Expr& n) {
    switch (n.node) {
      case Node::input:
      case Node::local:
      case Node::output:
      case Node::def:
      case Node::def_call:
      case Node::item_call:
      case Node::as_of: reads = true; break;
      default: break;
    }
  });
  return reads;
}

// Each finding is worded in English and Chinese where it is raised (the playground shows either).
Finding warning(std::string check, std::string message, std::string zh, SourceLoc at) {
  Finding f{std::move(check), Severity::warning, {}};
  f.where.code = Error::Code::yaml;
  f.where.say(std::move(message), std::move(zh));
  f.where.loc = std::move(at);
  return f;
}

// Is `at` in this pack's own files (not an imported pack's)?
bool ours(const SourceLoc& at, const std::filesystem::path& dir) {
  std::error_code ec;
  auto file = std::filesystem::weakly_canonical(at.file, ec), d = std::filesystem::weakly_canonical(dir, ec);
  return file.parent_path() == d;
}

Finding error_at(std::string check, std::string message, std::string zh, SourceLoc at) {
  Finding f = warning(std::move(check), std::move(message), std::move(zh), std::move(at));
  f.level = Severity::error;
  return f;
}

std::string quoted_list(const std::vector<std::string>& xs, const char* comma = ", ") {
  std::string s;
  for (const auto& x : xs) s += (s.empty() ? "" : comma) + ("\"" + x + "\"");
  return s;
}

// ---- numbers the plan states, against the params that encode them ---------------------------

// A number written with a unit of the plan: 5% (a percentage) or 50万, 1.5亿 (a magnitude).
// Plain numbers are left alone: quotes are full of years, clause numbers and counts.
struct Stated {
  enum class Unit { percent, magnitude } unit;
  Decimal value;
  std::string text;
};

std::optional<Decimal> scaled(const std::string& digits, std::string_view suffix) {
  auto d = Decimal::parse(digits);
  if (!d) return std::nullopt;
  if (suffix == "%" || suffix == "％") return *d / *Decimal::parse("100");
  if (suffix == "万") return *d * *Decimal::parse("10000");
  if (suffix == "亿") return *d * *Decimal::parse("100000000");
  return std::nullopt;
}

Stated::Unit unit_of(std::string_view suffix) {
  return suffix == "%" || suffix == "％" ? Stated::Unit::percent : Stated::Unit::magnitude;
}

std::vector<Stated> stated_numbers(const std::string& text) {
  static const std::regex number(R"(([0-9]+(?:\.[0-9]+)?)\s*(%|％|万|亿))");
  std::vector<Stated> out;
  for (std::sregex_iterator it(text.begin(), text.end(), number), end; it != end; ++it)
    if (auto v = scaled((*it)[1], (*it)[2].str())) out.push_back({unit_of((*it)[2].str()), *v, (*it)[0]});
  return out;
}

// A param's literal, when written with a unit (`5%`, `50万`); nullopt for anything else.
std::optional<Stated> literal_with_unit(const std::string& text) {
  static const std::regex literal(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*(%|％|万|亿)\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, literal)) return std::nullopt;
  auto v = scaled(m[1], m[2].str());
  if (!v) return std::nullopt;
  return Stated{unit_of(m[2].str()), *v, m[0]};
}

// A value of a param as written, and whether it records an amendment (a dated value with the
// amendment's own clause): then it departs from the plan's first text on purpose.
struct Written {
  Stated number;
  SourceLoc at;
  bool amendment = false;
};

std::vector<Written> written_values(const pack::Param& p) {
  std::vector<Written> out;
  if (p.value)
    if (auto n = literal_with_unit(p.value->text)) out.push_back({*n, p.value->loc(), false});
  for (const auto& [day, d] : p.dated)
    if (auto n = literal_with_unit(d.value.text)) out.push_back({*n, d.value.loc(), !d.clause.empty()});
  return out;
}

// Quote 5%, param 6%: the rule no longer says what the plan says. A param is compared with the
// numbers of its own unit that the rule's quote or the param's clause states; it departs when
// none of its values is one of them and a value that is not a recorded amendment differs.
void check_quoted_numbers(const pack::Pack& pack, const detail::Program& program, const std::filesystem::path& dir,
                          std::vector<Finding>& out) {
  std::set<std::string> seen;
  for (const auto& rule : program.rules) {
    const auto in_quote = stated_numbers(rule.quote);
    for (const auto& use : rule.params_used) {
      auto p = std::find_if(pack.params.begin(), pack.params.end(),
                            [&](const pack::Param& x) { return x.name == use.name; });
      if (p == pack.params.end() || !ours(p->loc, dir)) continue;
      auto values = written_values(*p);
      if (values.empty()) continue;
      std::vector<Stated> plan = in_quote, from_clause = stated_numbers(p->clause);
      plan.insert(plan.end(), from_clause.begin(), from_clause.end());
      const auto unit = values.front().number.unit;
      std::erase_if(plan, [&](const Stated& s) { return s.unit != unit; });
      if (plan.empty()) continue;
      auto stated = [&](const Written& w) {
        return std::any_of(plan.begin(), plan.end(), [&](const Stated& s) { return s.value == w.number.value; });
      };
      if (std::any_of(values.begin(), values.end(), stated)) continue;
      std::string says, says_zh;
      for (const auto& s : plan) {
        says += (says.empty() ? "" : ", ") + s.text;
        says_zh += (says_zh.empty() ? "" : "、") + s.text;
      }
      for (const auto& w : values) {
        if (w.amendment) continue;
        std::string message =
            "param '" + p->name + "' is " + w.number.text + " but rule '" + rule.id + "' quotes the plan at " + says +
            ": the rule now departs from the plan; correct the value, or record the amendment as a dated value " +
            "with its clause (values: {DAY: {value: " + w.number.text + ", clause: …}})";
        if (seen.insert(message).second)
          out.push_back(warning(
              "departs-from-quote", message,
              "参数「" + p->name + "」为 " + w.number.text + "，但规则「" + rule.id + "」引用的方案原文为 " + says_zh +
                  "：规则已偏离方案；请更正该值，或将修订记为带日期的取值并注明条款（values: {日期: {value: " +
                  w.number.text + ", clause: …}}）",
              w.at));
      }
    }
  }
}

// ---- the subject schema's enums ---------------------------------------------------------------

// The values the subject schema allows for each field, keyed by the checker's Shape of that
// field (a comparison's operand carries it as its type), found by walking the schema files the
// way schema::Schema::shape_of builds the Shapes: properties, then allOf parts, then items.
class Enums {
 public:
  struct Allowed {
    std::string field;  ///< "scheme.kind", "transactions[].kind"
    std::vector<std::string> values;
  };

  Enums(const std::optional<std::filesystem::path>& schema, const ir::Shape* subject) {
    if (!schema || !subject) return;
    std::error_code ec;
    auto path = std::filesystem::weakly_canonical(*schema, ec);
    if (const json* root = file(path)) walk(subject, {root, path}, "");
  }

  const Allowed* of(const ir::Shape* s) const {
    auto it = allowed_.find(s);
    return it == allowed_.end() ? nullptr : &it->second;
  }

 private:
  using json = nlohmann::json;
  struct Ref {
    const json* node;
    std::filesystem::path file;
  };

  const json* file(const std::filesystem::path& p) {
    auto it = files_.find(p);
    if (it == files_.end()) {
      std::ifstream in(p, std::ios::binary);
      json j = json::parse(in, nullptr, false);
      it = files_.emplace(p, j.is_discarded() ? json() : std::move(j)).first;
    }
    return it->second.is_null() ? nullptr : &it->second;
  }

  std::optional<Ref> resolve(Ref r, int depth = 0) {
    if (!r.node || !r.node->is_object() || depth > 32) return r;
    auto ref = r.node->find("$ref");
    if (ref == r.node->end() || !ref->is_string()) return r;
    std::string text = *ref;
    auto hash = text.find('#');
    std::string target = text.substr(0, hash), pointer = hash == std::string::npos ? "" : text.substr(hash + 1);
    auto path = target.empty() ? r.file : std::filesystem::weakly_canonical(r.file.parent_path() / target);
    const json* doc = file(path);
    if (!doc) return std::nullopt;
    try {
      return resolve({pointer.empty() ? doc : &doc->at(json::json_pointer(pointer)), path}, depth + 1);
    } catch (const json::exception&) {
      return std::nullopt;
    }
  }

  // Later parts override earlier ones, as in Schema::shape_of.
  void properties(Ref r, std::map<std::string, Ref>& into, std::vector<std::string>& values, int depth) {
    auto n = resolve(r);
    if (!n || !n->node->is_object() || depth > 32) return;
    const json& s = *n->node;
    if (auto e = s.find("enum"); e != s.end() && e->is_array() && values.empty())
      for (const auto& v : *e)
        if (v.is_string()) values.push_back(v);
    if (auto c = s.find("const"); c != s.end() && c->is_string() && values.empty()) values.push_back(*c);
    if (auto p = s.find("properties"); p != s.end() && p->is_object())
      for (const auto& [k, v] : p->items()) into.insert_or_assign(k, Ref{&v, n->file});
    if (auto all = s.find("allOf"); all != s.end() && all->is_array())
      for (const auto& sub : *all) properties({&sub, n->file}, into, values, depth + 1);
  }

  void walk(const ir::Shape* shape, Ref r, const std::string& field, int depth = 0) {
    auto n = resolve(r);
    if (!shape || !n || !n->node->is_object() || depth > 32) return;
    std::map<std::string, Ref> props;
    std::vector<std::string> values;
    properties(*n, props, values, depth);
    if (!values.empty()) allowed_[shape] = {field, std::move(values)};
    for (const auto& [k, sub] : shape->properties)
      if (auto p = props.find(k); p != props.end())
        walk(sub.get(), p->second, field.empty() ? k : field + "." + k, depth + 1);
    if (auto items = n->node->find("items"); shape->items && items != n->node->end())
      walk(shape->items.get(), {&*items, n->file}, field + "[]", depth + 1);
  }

  std::map<std::filesystem::path, json> files_;
  std::map<const ir::Shape*, Allowed> allowed_;
};

// The constant strings an operand stands for: a literal, a param's value, a list of them.
std::vector<std::pair<std::string, SourceLoc>> constant_strings(const ir::Expr& e) {
  std::vector<std::pair<std::string, SourceLoc>> out;
  auto add = [&](const Value& v, const SourceLoc& at) {
    if (v.kind() == Kind::string) out.push_back({v.as_string(), at});
    if (v.kind() == Kind::list)
      for (const auto& item : v.as_list().items)
        if (item.kind() == Kind::string) out.push_back({item.as_string(), at});
  };
  if ((e.node == Node::constant || (e.node == Node::param && !e.dated))) add(e.value, e.loc);
  if (e.node == Node::list)
    for (const auto& k : e.kids)
      if (k->node == Node::constant || (k->node == Node::param && !k->dated)) add(k->value, k->loc);
  return out;
}

bool is_comparison(Op op) {
  return op == Op::eq || op == Op::ne || op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge;
}

// `scheme.kind == "innovation_platfrom"` is false for every valid input: the rule silently
// never fires. A value the field's enum does not allow is an error, with the nearest allowed.
void check_enum_values(const detail::Program& program, const Enums& enums, const std::filesystem::path& dir,
                       std::vector<Finding>& out) {
  std::set<std::pair<std::string, std::string>> seen;
  auto test = [&](const Enums::Allowed& allowed, const std::vector<std::pair<std::string, SourceLoc>>& values,
                  const SourceLoc& fallback) {
    for (const auto& [v, at] : values) {
      if (std::find(allowed.values.begin(), allowed.values.end(), v) != allowed.values.end()) continue;
      std::string best = nearest(v, allowed.values);
      const SourceLoc& where = at.known() ? at : fallback;
      std::string message = "\"" + v + "\" is not a value of " + allowed.field +
                            (best.empty() ? "" : "; did you mean \"" + best + "\"?") + " (the subject schema allows " +
                            quoted_list(allowed.values) + ")";
      std::string zh = "\"" + v + "\" 不是 " + allowed.field + " 的可取值" +
                       (best.empty() ? "" : "；是否应为 \"" + best + "\"？") + "（数据模式允许 " +
                       quoted_list(allowed.values, "、") + "）";
      if (seen.insert({where.to_string(), message}).second) out.push_back(error_at("enum-value", message, zh, where));
    }
  };
  detail::for_each_expr(program, [&](const detail::CompiledExpr& c, detail::ExprUse) {
    if (!c.expr || !ours(c.expr->loc, dir)) return;
    each_node(*c.expr, [&](const ir::Expr& n) {
      if (n.node != Node::binary || n.kids.size() != 2) return;
      const ir::Expr &a = *n.kids[0], &b = *n.kids[1];
      if (n.op == Op::eq || n.op == Op::ne || n.op == Op::in || n.op == Op::not_in) {
        if (const auto* allowed = enums.of(a.type.shape)) test(*allowed, constant_strings(b), n.loc);
        if (n.op == Op::eq || n.op == Op::ne)
          if (const auto* allowed = enums.of(b.type.shape)) test(*allowed, constant_strings(a), n.loc);
      }
      // "x" in tags, where tags is a list of enum values
      if ((n.op == Op::in || n.op == Op::not_in) && b.type.shape && b.type.shape->items)
        if (const auto* allowed = enums.of(b.type.shape->items.get())) test(*allowed, constant_strings(a), n.loc);
    });
  });
}

// ---- an 'applies' that can never hold -------------------------------------------------------

// A field as written ("$scheme.kind"), to see two comparisons of the same field; empty for
// anything else.
std::string field_key(const ir::Expr& e) {
  switch (e.node) {
    case Node::input: return "$" + e.name;
    case Node::local: return "local" + std::to_string(e.slot);
    case Node::member: {
      auto base = e.kids.empty() ? "" : field_key(*e.kids[0]);
      return base.empty() ? "" : base + "." + e.name;
    }
    default: return "";
  }
}

std::string field_text(const std::string& key) { return key.rfind('$', 0) == 0 ? key.substr(1) : key; }

// What one conjunct of 'applies' says about one field: the values it may take (`==`, `in`,
// an `or` of those) and the values it may not (`!=`, `not in`).
struct Constraint {
  std::string field;
  const ir::Shape* shape = nullptr;
  std::optional<std::vector<Value>> only;
  std::vector<Value> never;
  std::string text;
};

std::optional<std::vector<Value>> constant_values(const ir::Expr& e, bool list) {
  auto one = [](const ir::Expr& k) -> std::optional<Value> {
    if (k.node == Node::constant || (k.node == Node::param && !k.dated && !k.value.is_unknown())) return k.value;
    return std::nullopt;
  };
  if (!list) {
    if (auto v = one(e)) return std::vector<Value>{*v};
    return std::nullopt;
  }
  if (e.node == Node::list) {
    std::vector<Value> out;
    for (const auto& k : e.kids) {
      auto v = one(*k);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return out;
  }
  if (auto v = one(e); v && v->kind() == Kind::list) return v->as_list().items;
  return std::nullopt;
}

std::optional<Constraint> constraint(const ir::Expr& e) {
  if (e.node == Node::logical && e.op == Op::or_ && e.kids.size() == 2) {
    auto a = constraint(*e.kids[0]), b = constraint(*e.kids[1]);
    if (!a || !b || a->field != b->field || !a->only || !b->only) return std::nullopt;
    a->only->insert(a->only->end(), b->only->begin(), b->only->end());
    a->text += " or " + b->text;
    return a;
  }
  if (e.node != Node::binary || e.kids.size() != 2) return std::nullopt;
  const bool list = e.op == Op::in || e.op == Op::not_in;
  if (!list && e.op != Op::eq && e.op != Op::ne) return std::nullopt;
  const ir::Expr *f = e.kids[0].get(), *c = e.kids[1].get();
  if (!list && field_key(*f).empty()) std::swap(f, c);
  Constraint out;
  out.field = field_key(*f);
  out.shape = f->type.shape;
  auto values = constant_values(*c, list);
  if (out.field.empty() || !values) return std::nullopt;
  const bool positive = e.op == Op::eq || e.op == Op::in;
  if (positive)
    out.only = *values;
  else
    out.never = *values;
  std::string shown;
  if (list) {
    for (const auto& v : *values) shown += (shown.empty() ? "" : ", ") + v.to_display();
    shown = "[" + shown + "]";
  } else {
    shown = values->front().to_display();
  }
  static const char* words[] = {"or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in"};
  out.text = field_text(out.field) + " " + words[int(e.op)] + " " + shown;
  return out;
}

void conjuncts(const ir::Expr& e, std::vector<const ir::Expr*>& out) {
  if (e.node == Node::logical && e.op == Op::and_) {
    for (const auto& k : e.kids) conjuncts(*k, out);
    return;
  }
  out.push_back(&e);
}

// `kind == "a" and kind == "b"`, `kind != "a"` where the schema allows only "a", `… and false`:
// the rule can never apply, whatever is submitted. (An 'applies' that is constant as a whole is
// reported as constant-condition.)
void check_applies(const detail::Program& program, const Enums& enums, std::vector<Finding>& out) {
  for (const auto& r : program.rules) {
    if (!r.applies || !r.applies->expr || !reads_anything(*r.applies->expr)) continue;
    const ir::Expr& applies = *r.applies->expr;
    std::vector<const ir::Expr*> parts;
    conjuncts(applies, parts);
    std::string why, why_zh;
    std::map<std::string, std::vector<Constraint>> by_field;
    for (const auto* p : parts) {
      if ((p->node == Node::constant || (p->node == Node::param && !p->dated)) && p->value.kind() == Kind::boolean &&
          !p->value.as_bool()) {
        why = "one of its conditions is always false";
        why_zh = "其中一个条件恒为假";
      } else if (auto c = constraint(*p))
        by_field[c->field].push_back(std::move(*c));
    }
    for (const auto& [field, cs] : by_field) {
      if (!why.empty()) break;
      std::optional<std::vector<Value>> possible;
      const Enums::Allowed* allowed = enums.of(cs.front().shape);
      if (allowed) {
        possible.emplace();
        for (const auto& v : allowed->values) possible->push_back(Value(v));
      }
      std::string texts, texts_zh;
      for (const auto& c : cs) {
        texts += (texts.empty() ? "" : " and ") + c.text;
        texts_zh += (texts_zh.empty() ? "" : " 且 ") + c.text;
        if (!c.only) continue;
        if (!possible) {
          possible = *c.only;
          continue;
        }
        std::erase_if(*possible,
                      [&](const Value& v) { return std::find(c.only->begin(), c.only->end(), v) == c.only->end(); });
      }
      if (!possible) continue;
      for (const auto& c : cs)
        std::erase_if(*possible,
                      [&](const Value& v) { return std::find(c.never.begin(), c.never.end(), v) != c.never.end(); });
      if (possible->empty()) {
        why = "no value of " + field_text(field) + " meets " + texts +
              (allowed ? " (the subject schema allows " + quoted_list(allowed->values) + ")" : "");
        why_zh = field_text(field) + " 没有任何取值能满足 " + texts_zh +
                 (allowed ? "（数据模式允许 " + quoted_list(allowed->values, "、") + "）" : "");
      }
    }
    if (!why.empty())
      out.push_back(warning("applies-never-holds",
                            "'applies' of rule '" + r.id + "' can never hold: " + why + "; the rule is never applied",
                            "规则「" + r.id + "」的适用条件（applies）永远不能成立：" + why_zh + "；该规则永远不会适用",
                            applies.loc));
  }
}

// ---- rounded values in comparisons ------------------------------------------------------------

// Where a value was rounded on its way into `e` (through defs, outputs, arithmetic, min/max,
// either branch of an if), or nullptr. 9.996% rounds to 10.00% and then passes a 10% target.
const ir::Expr* rounded(const ir::Expr& e, const detail::Program& program, const detail::CompiledRule* rule,
                        int depth = 0) {
  if (depth > 64) return nullptr;
  auto any_kid = [&](std::size_t from) -> const ir::Expr* {
    for (std::size_t i = from; i < e.kids.size(); ++i)
      if (auto r = rounded(*e.kids[i], program, rule, depth + 1)) return r;
    return nullptr;
  };
  switch (e.node) {
    case Node::call: {
      if (!e.fn) return nullptr;
      if (e.fn->has(ir::rounds)) return &e;
      return e.fn->has(ir::keeps_rounding) ? any_kid(0) : nullptr;
    }
    case Node::def:
    case Node::def_call: {
      if (e.slot < 0 || std::size_t(e.slot) >= program.defs.size()) return nullptr;
      const auto& body = program.defs[std::size_t(e.slot)].body.expr;
      if (body)
        if (auto r = rounded(*body, program, nullptr, depth + 1)) return r;
      return any_kid(0);
    }
    case Node::output:
      if (rule && e.slot >= 0 && std::size_t(e.slot) < rule->outputs.size() &&
          rule->outputs[std::size_t(e.slot)].expr.expr)
        return rounded(*rule->outputs[std::size_t(e.slot)].expr.expr, program, rule, depth + 1);
      return nullptr;
    case Node::cond: return any_kid(1);
    case Node::list: return any_kid(0);
    case Node::index: {
      // values[2] of `values: [growth_pct, …]`: only that element matters.
      const ir::Expr* base = e.kids.empty() ? nullptr : e.kids[0].get();
      for (int hops = 0; base && hops < 8; ++hops) {
        if (base->node == Node::output && rule && base->slot >= 0 && std::size_t(base->slot) < rule->outputs.size())
          base = rule->outputs[std::size_t(base->slot)].expr.expr.get();
        else if (base->node == Node::def && base->slot >= 0 && std::size_t(base->slot) < program.defs.size())
          base = program.defs[std::size_t(base->slot)].body.expr.get();
        else
          break;
      }
      if (base && base->node == Node::list && e.kids.size() == 2 && e.kids[1]->node == Node::constant &&
          e.kids[1]->value.kind() == Kind::number) {
        for (std::size_t i = 0; i < base->kids.size(); ++i)
          if (e.kids[1]->value.as_number() == Decimal(std::int64_t(i)))
            return rounded(*base->kids[i], program, rule, depth + 1);
        return nullptr;
      }
      return e.kids.empty() ? nullptr : rounded(*e.kids[0], program, rule, depth + 1);
    }
    case Node::unary:
    case Node::member:
    case Node::lambda: return e.kids.empty() ? nullptr : rounded(*e.kids[0], program, rule, depth + 1);
    case Node::binary: return is_comparison(e.op) || e.op == Op::in || e.op == Op::not_in ? nullptr : any_kid(0);
    default: return nullptr;
  }
}

void check_rounded_comparisons(const detail::Program& program, const std::filesystem::path& dir,
                               std::vector<Finding>& out) {
  std::set<std::string> seen;
  auto visit = [&](const detail::CompiledExpr& c, const detail::CompiledRule* rule) {
    if (!c.expr) return;
    each_node(*c.expr, [&](const ir::Expr& n) {
      if (n.node != Node::binary || !is_comparison(n.op) || n.kids.size() != 2 || !ours(n.loc, dir)) return;
      for (const auto& k : n.kids)
        if (const ir::Expr* r = rounded(*k, program, rule)) {
          std::string at = std::filesystem::path(r->loc.file).filename().string() + ":" + std::to_string(r->loc.line) +
                           ":" + std::to_string(r->loc.col);
          std::string message = "a rounded value (round at " + at +
                                ") feeds this comparison: compare exact values; round only what is shown";
          if (seen.insert(n.loc.to_string() + message).second)
            out.push_back(warning("rounded-comparison", message,
                                  "此比较使用了取整后的值（在 " + at + " 取整）：比较应使用精确值，只对显示的结果取整",
                                  n.loc));
          break;
        }
    });
  };
  for (const auto& d : program.defs) visit(d.body, nullptr);
  for (const auto& r : program.rules)
    detail::for_each_expr(r, [&](const detail::CompiledExpr& c, detail::ExprUse) { visit(c, &r); });
}

// `x == null` is never true and `x != null` never false for a field of the document: absent or
// null, it is unknown, so the comparison is unknown then (the rule waits for it), and false or true
// otherwise. A computed value may be null (a def's `else null`): not flagged (helper-67).
void check_null_comparisons(const detail::Program& program, const std::filesystem::path& dir,
                            std::vector<Finding>& out) {
  auto is_null = [](const ir::Expr& k) { return k.node == Node::constant && k.value.kind() == Kind::null; };
  auto is_field = [](const ir::Expr& k) {
    return k.node == Node::input || k.node == Node::member || k.node == Node::index;
  };
  auto visit = [&](const detail::CompiledExpr& c) {
    if (!c.expr) return;
    each_node(*c.expr, [&](const ir::Expr& n) {
      if (n.node != Node::binary || (n.op != Op::eq && n.op != Op::ne) || n.kids.size() != 2 || !ours(n.loc, dir))
        return;
      const ir::Expr &a = *n.kids[0], &b = *n.kids[1];
      if (!(is_null(a) && is_field(b)) && !(is_field(a) && is_null(b))) return;
      bool eq = n.op == Op::eq;
      out.push_back(error_at("null-comparison",
                             std::string("a field compared with null is never ") + (eq ? "true" : "false") +
                                 ": an absent or null field is unknown; ask " + (eq ? "not known(x)" : "known(x)"),
                             std::string("字段与 null 比较永远不会为") + (eq ? "真" : "假") +
                                 "：缺失或为 null 的字段是未知值，应写作 " + (eq ? "not known(x)" : "known(x)"),
                             n.loc));
    });
  };
  for (const auto& d : program.defs) visit(d.body);
  for (const auto& r : program.rules)
    detail::for_each_expr(r, [&](const detail::CompiledExpr& c, detail::ExprUse) { visit(c); });
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& lint_checks() {
  static const std::vector<std::pair<std::string, std::string>> checks{
      {"syntax", "an expression does not parse"},
      {"name", "an unknown name, function or field, a wrong number of arguments, a duplicate id"},
      {"type", "a type error, against the subject schema's field types"},
      {"yaml", "the pack's YAML or structure is wrong (a rule without clause or quote included)"},
      {"io", "a file of the pack cannot be read"},
      {"limit", "an expression exceeds a configured limit"},
      {"schema", "the subject schema is no JSON, or says what rulebook cannot check as written"},
      {"unused-param", "a param no rule or def uses"},
      {"unused-def", "a def no rule or def uses"},
      {"quote-not-verbatim", "a rule's quote does not occur verbatim in the plan's text (source.txt)"},
      {"param-without-clause", "a param that names no clause of the plan"},
      {"condition-without-message", "a condition without a message for the reviewer"},
      {"constant-condition", "a condition or 'applies' that is always true or always false"},
      {"rule-without-cases", "a rule (a catalog id) that no stored case tests"},
      {"cases", "a cases file the runner cannot use: YAML, an unknown key, a case that expects nothing"},
      {"departs-from-quote",
       "a param's value is not the number the rule's quote states (cleared by a dated value with its amendment's "
       "clause)"},
      {"enum-value", "a value compared with a field that the subject schema's enum does not allow"},
      {"applies-never-holds", "a rule's 'applies' that no input can meet"},
      {"rounded-comparison", "a rounded value feeds a comparison: thresholds compare exact values"},
      {"null-comparison", "a field compared with null, never true (==) or never false (!=): ask known(x)"},
  };
  return checks;
}

std::vector<Finding> lint_pack(const std::filesystem::path& dir, const LoadOptions& options) {
  std::vector<Finding> out;
  LoadResult loaded = load_pack(dir, options);
  for (auto& e : loaded.errors) out.push_back({code_name(e.code), Severity::error, std::move(e)});
  for (auto& w : loaded.warnings) {
    std::string check = w.check.empty() ? "yaml" : w.check;
    out.push_back({check, Severity::warning, std::move(w)});
  }
  if (!loaded.pack) return out;
  auto read = pack::read_pack(dir, options.overlay, options.search_path);
  if (!read.pack) return out;
  const pack::Pack& pack = *read.pack;
  const detail::Program& program = detail::program(*loaded.pack);

  // What the pack's expressions refer to.
  std::set<std::string> params_used;
  std::set<int> defs_used;
  detail::for_each_expr(program, [&](const detail::CompiledExpr& c, detail::ExprUse) {
    if (!c.expr) return;
    each_node(*c.expr, [&](const ir::Expr& n) {
      if (n.node == Node::param) params_used.insert(n.name);
      if (n.node == Node::def || n.node == Node::def_call) defs_used.insert(n.slot);
    });
  });
  for (const auto& p : pack.params)
    if (ours(p.loc, dir) && !params_used.count(p.name))
      out.push_back(warning("unused-param", "param '" + p.name + "' is not used by any rule or def",
                            "参数「" + p.name + "」未被任何规则或定义（def）使用", p.loc));
  for (std::size_t i = 0; i < pack.defs.size(); ++i)
    if (ours(pack.defs[i].loc, dir) && !defs_used.count(int(i)))
      out.push_back(warning("unused-def", "def '" + pack.defs[i].name + "' is not used by any rule or def",
                            "定义（def）「" + pack.defs[i].name + "」未被任何规则或定义使用", pack.defs[i].loc));

  // Conditions that read nothing from the document have one value, whatever is submitted.
  EvalOptions eval{.as_of = program.info.effective_from};
  detail::Evaluator ev(program, eval);
  auto constant = [&](const detail::CompiledExpr& c, const std::string& what, const std::string& what_zh,
                      const SourceLoc& at) {
    if (!c.expr || reads_anything(*c.expr)) return;
    try {
      Value v = ev.constant(c);
      if (v.kind() == Kind::boolean)
        out.push_back(warning("constant-condition", what + " is always " + (v.as_bool() ? "true" : "false"),
                              what_zh + (v.as_bool() ? "恒为真" : "恒为假") + "（不读取申报材料中的任何数据）",
                              at.known() ? at : c.expr->loc));
    } catch (const ir::EvalError&) {  // an error is reported when the rule runs, with its location
    }
  };
  for (const auto& r : program.rules) {
    if (r.applies)
      constant(*r.applies, "'applies' of rule '" + r.id + "'", "规则「" + r.id + "」的适用条件（applies）",
               r.applies->expr->loc);
    for (const auto& c : r.conditions)
      constant(c.require, "condition '" + c.name + "' of rule '" + r.id + "'",
               "规则「" + r.id + "」的条件「" + c.name + "」", c.loc);
  }

  check_quoted_numbers(pack, program, dir, out);
  Enums enums(pack.subject_schema, program.subject.get());
  check_enum_values(program, enums, dir, out);
  check_applies(program, enums, out);
  check_rounded_comparisons(program, dir, out);
  check_null_comparisons(program, dir, out);

  // Rules (catalog ids) that no stored case exercises; case files the runner cannot use.
  CaseRun run = run_cases(*loaded.pack, dir);
  for (auto& e : run.errors) out.push_back({"cases", Severity::error, std::move(e)});
  for (const auto& r : pack.rules)
    if (ours(r.loc, dir) &&
        std::none_of(run.results.begin(), run.results.end(), [&](const CaseResult& c) { return c.rule == r.id; }))
      out.push_back(warning("rule-without-cases",
                            "rule '" + r.id + "' has no case in cases/: add cases that pass, fail and need information",
                            "规则「" + r.id + "」在 cases/ 中没有测试用例：请补充通过、不通过和需补充材料的用例",
                            r.loc));

  // The line under each finding of lint's own checks, for the caret the loader's errors have.
  std::map<std::string, std::vector<std::string>> lines;
  for (auto& f : out) {
    const SourceLoc& at = f.where.loc;
    if (!f.where.source_line.empty() || !at.known() || f.check == "rule-without-cases" || f.check == "unused-param" ||
        f.check == "unused-def")
      continue;
    auto [it, fresh] = lines.try_emplace(at.file);
    if (fresh) {
      auto drafted = options.overlay.find(std::filesystem::path(at.file).lexically_normal());
      std::ifstream file;
      std::istringstream text;
      if (drafted != options.overlay.end()) text.str(drafted->second);
      else file.open(at.file, std::ios::binary);
      std::istream& in = drafted != options.overlay.end() ? static_cast<std::istream&>(text) : file;
      for (std::string line; std::getline(in, line);) it->second.push_back(line);
    }
    if (std::size_t(at.line) <= it->second.size()) f.where.source_line = it->second[std::size_t(at.line) - 1];
  }

  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.level != b.level) return a.level < b.level;  // errors first
    if (a.where.loc.file != b.where.loc.file) return a.where.loc.file < b.where.loc.file;
    return a.where.loc.line < b.where.loc.line;
  });
  return out;
}

std::string to_sarif(const std::vector<Finding>& findings) {
  JsonWriter w;
  w.open('{');
  w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  w.field("version", "2.1.0");
  w.key("runs");
  w.open('[');
  w.item();
  w.open('{');
  w.key("tool");
  w.open('{');
  w.key("driver");
  w.open('{');
  w.field("name", "rulebook");
  w.field("version", "0.1.0");
  w.key("rules");
  w.open('[');
  for (const auto& [id, text] : lint_checks()) {
    w.item();
    w.open('{');
    w.field("id", id);
    w.key("shortDescription");
    w.open('{');
    w.field("text", text);
    w.close('}');
    w.close('}');
  }
  w.close(']');
  w.close('}');
  w.close('}');
  w.key("results");
  w.open('[');
  for (const auto& f : findings) {
    w.item();
    w.open('{');
    w.field("ruleId", f.check);
    w.field("level", f.level == Severity::error ? "error" : "warning");
    w.key("message");
    w.open('{');
    w.field("text", f.where.message);
    w.close('}');
    w.key("locations");
    w.open('[');
    w.item();
    w.open('{');
    w.key("physicalLocation");
    w.open('{');
    w.key("artifactLocation");
    w.open('{');
    w.field("uri", f.where.loc.file);
    w.close('}');
    if (f.where.loc.known()) {
      w.key("region");
      w.open('{');
      w.number("startLine", std::to_string(f.where.loc.line));
      w.number("startColumn", std::to_string(std::max(1, f.where.loc.col)));
      w.close('}');
    }
    w.close('}');
    w.close('}');
    w.close(']');
    w.close('}');
  }
  w.close(']');
  w.close('}');
  w.close(']');
  w.close('}');
  return w.out + "\n";
}

}  // namespace rulebook
