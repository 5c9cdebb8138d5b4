#include "compile/compiler.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "check/checker.hpp"
#include "check/functions.hpp"
#include "schema/schema.hpp"

namespace rulebook::detail {
namespace {

using check::Binding;
using ir::TypeKind;

// Resolves names for one expression; which rule-local names are visible depends on where
// the expression stands (conditions see outputs, outputs see earlier outputs only).
class Compiler;

class PackEnv : public check::Environment {
 public:
  PackEnv(Compiler& c, const CompiledRule* rule, std::size_t outputs_visible, bool item_fn_visible)
      : c_(c), rule_(rule), outputs_visible_(outputs_visible), item_fn_visible_(item_fn_visible) {}
  std::optional<Binding> resolve(std::string_view name) override;
  const ir::Shape* subject() const override;
  std::vector<std::string> names() const override;

 private:
  Compiler& c_;
  const CompiledRule* rule_;
  std::size_t outputs_visible_;
  bool item_fn_visible_;
};

class Compiler {
 public:
  Compiler(const pack::Pack& pack, const LoadOptions& options, std::vector<Error>& errors, std::vector<Error>& warnings)
      : pack_(pack), errors_(errors), warnings_(warnings), first_error_(errors.size()) {
    limits_.max_length = options.max_expression_length;
    limits_.max_depth = options.max_expression_depth;
  }

  std::shared_ptr<const Program> run() {
    auto program = std::make_shared<Program>();
    program_ = program.get();
    program->info = pack_.info;
    load_subject();
    std::size_t before = errors_.size();
    if (pack_.calendar)
      if (auto c = Calendar::load(*pack_.calendar, errors_)) program->calendar = std::make_shared<const Calendar>(*c);
    if (pack_.divisions)
      if (auto d = Divisions::load(*pack_.divisions, errors_)) program->divisions = std::make_shared<const Divisions>(*d);
    if (errors_.size() != before) failed_ = true;
    index_names();
    program->defs.resize(pack_.defs.size());
    def_state_.assign(pack_.defs.size(), State::todo);
    for (std::size_t i = 0; i < pack_.defs.size(); ++i) compile_def(int(i));
    std::set<std::string> ids;
    for (const auto& r : pack_.rules) {
      if (!ids.insert(r.id).second) error(r.loc, Error::Code::name, "duplicate rule id '" + r.id + "'");
      program->rules.push_back(compile_rule(r));
    }
    check_quotes();
    if (failed_) return nullptr;
    program->reads = document_reads(*program);
    return program;
  }

  // Names a pack-level expression can refer to.
  std::optional<Binding> lookup(std::string_view name) {
    if (auto p = params_.find(name); p != params_.end()) return p->second;
    if (auto d = def_index_.find(name); d != def_index_.end()) {
      int i = d->second;
      compile_def(i);
      const auto& def = pack_.defs[std::size_t(i)];
      Binding b{def.params.empty() ? Binding::Kind::def : Binding::Kind::def_fn, i, int(def.params.size()), {}, {}};
      if (program_->defs[std::size_t(i)].body.expr) b.type = program_->defs[std::size_t(i)].body.expr->type;
      return b;
    }
    return std::nullopt;
  }

  const ir::Shape* subject() const { return program_->subject.get(); }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : params_) out.push_back(k);
    for (const auto& [k, v] : def_index_) out.push_back(k);
    return out;
  }

 private:
  enum class State { todo, busy, done };

  void error(const SourceLoc& at, Error::Code code, std::string message) {
    failed_ = true;
    if (full()) return;
    Error e;
    e.code = code;
    e.message = std::move(message);
    e.loc = at;
    errors_.push_back(std::move(e));
    full();
  }

  // A pack of many mistakes (aliases repeat one at no cost, each error carries its source
  // line) says its first `most_said`, then that there were more, and checks no more.
  static constexpr std::size_t most_said = 100;
  bool full() {
    std::size_t limit = first_error_ + most_said;
    if (!said_more_ && errors_.size() > limit) {
      Error e;
      e.code = Error::Code::limit;
      e.loc = errors_[limit].loc;
      const std::string most = std::to_string(most_said);
      e.say("more than " + most + " errors in this pack; the first " + most + " are listed",
            "本规则包错误超过 " + most + " 处，仅列出前 " + most + " 处");
      errors_.resize(limit);
      errors_.push_back(std::move(e));
      said_more_ = true;
    }
    if (said_more_ && errors_.size() > limit + 1) errors_.resize(limit + 1);  // what came since
    return said_more_;
  }

  std::optional<CompiledExpr> expression(const expr::Source& src, check::Environment& env,
                                         const std::vector<check::Local>& locals = {}) {
    if (full()) {
      failed_ = true;
      return std::nullopt;
    }
    auto checked = check::check(src, env, locals, errors_, limits_);
    full();
    if (!checked) {
      failed_ = true;
      return std::nullopt;
    }
    Code code = Code::lower(*checked->expr);
    return CompiledExpr{std::move(checked->expr), checked->frame_size, std::move(code)};
  }

  void load_subject() {
    if (!pack_.subject_schema) return;
    std::size_t before = errors_.size();
    program_->schema = schema::Schema::load(*pack_.subject_schema, errors_);
    if (errors_.size() != before) failed_ = true;
    if (program_->schema) program_->subject = program_->schema->shape();
  }

  // Params become constants: their values are literals, folded here once.
  void index_names() {
    PackEnv none(*this, nullptr, 0, false);
    for (const auto& p : pack_.params) {
      if (params_.count(p.name)) error(p.loc, Error::Code::name, "duplicate param '" + p.name + "'");
      Binding b{Binding::Kind::param, -1, 0, {}, Value::missing("param " + p.name)};
      auto literal = [&](const expr::Source& text) -> std::optional<std::pair<Value, ir::Type>> {
        auto c = expression(text, none);
        if (!c) return std::nullopt;
        if (auto v = constant(*c->expr)) return std::pair{*v, c->expr->type};
        error(text.loc(), Error::Code::type,
              "a param's value must be a literal (5%, 50万, 2024-01-01, \"text\", true, or a list of them)");
        return std::nullopt;
      };
      if (p.value) {
        if (auto v = literal(*p.value)) std::tie(b.value, b.type) = *v;
      }
      if (!p.dated.empty()) {
        auto table = std::make_shared<ir::DatedValues>();
        for (const auto& [day, d] : p.dated) {
          auto v = literal(d.value);
          if (!v) continue;
          if (!table->empty() && v->second.kind != b.type.kind)
            error(d.loc, Error::Code::type, "every dated value of param '" + p.name + "' must be of one type");
          b.type = v->second;
          table->emplace_back(day, v->first);
        }
        b.dated = std::move(table);
        program_->has_dated_params = true;
      }
      params_[p.name] = b;
    }
    for (std::size_t i = 0; i < pack_.defs.size(); ++i) {
      const auto& d = pack_.defs[i];
      if (params_.count(d.name) || def_index_.count(d.name))
        error(d.loc, Error::Code::name, "'" + d.name + "' is defined twice (as a param or def)");
      def_index_[d.name] = int(i);
    }
  }

  static std::optional<Value> constant(const ir::Expr& e) {
    using ir::Node;
    if (e.node == Node::constant) return e.value;
    if (e.node == Node::unary && e.op == expr::Op::neg && e.kids[0]->node == Node::constant &&
        e.kids[0]->value.kind() == Kind::number)
      return Value(-e.kids[0]->value.as_number());
    if (e.node == Node::list) {
      std::vector<Value> items;
      for (const auto& k : e.kids) {
        auto v = constant(*k);
        if (!v) return std::nullopt;
        items.push_back(*v);
      }
      return Value::list(std::move(items));
    }
    return std::nullopt;
  }

  void compile_def(int i) {
    auto& state = def_state_[std::size_t(i)];
    const auto& d = pack_.defs[std::size_t(i)];
    if (state == State::done) return;
    if (state == State::busy) {
      error(d.loc, Error::Code::name, "def '" + d.name + "' refers to itself (directly or through other defs)");
      return;
    }
    state = State::busy;
    PackEnv env(*this, nullptr, 0, false);
    std::vector<check::Local> locals;
    for (const auto& p : d.params) locals.push_back({p, {}});
    auto body = expression(d.body, env, locals);
    auto& out = program_->defs[std::size_t(i)];
    out.name = d.name;
    out.arity = int(d.params.size());
    if (body) out.body = std::move(*body);
    state = State::done;
  }

  std::vector<CompiledCondition> conditions(const std::vector<pack::Condition>& in, check::Environment& env,
                                            const std::vector<check::Local>& locals) {
    std::vector<CompiledCondition> out;
    std::set<std::string> names;
    for (const auto& c : in) {
      if (!names.insert(c.name).second) error(c.loc, Error::Code::name, "duplicate condition name '" + c.name + "'");
      auto e = expression(c.require, env, locals);
      if (e && e->expr->type.kind != TypeKind::any && e->expr->type.kind != TypeKind::boolean)
        error(c.require.loc(), Error::Code::type,
              "a condition must be true or false, this is a " + std::string(ir::type_name(e->expr->type.kind)));
      if (e) out.push_back({c.name, c.message, c.loc, std::move(*e)});
    }
    return out;
  }

  std::optional<CompiledExpr> date_expression(const expr::Source& x, std::string_view key, check::Environment& env,
                                              const std::vector<check::Local>& locals = {}) {
    auto e = expression(x, env, locals);
    if (e && e->expr->type.kind != TypeKind::any && e->expr->type.kind != TypeKind::date)
      error(x.loc(), Error::Code::type, "'" + std::string(key) + "' must be a date");
    return e;
  }

  CompiledRule compile_rule(const pack::Rule& r) {
    CompiledRule out;
    out.id = r.id;
    out.title = r.title;
    out.severity = r.severity;
    out.clause = r.clause;
    out.quote = r.quote;
    out.note = r.note;
    PackEnv pack_only(*this, nullptr, 0, false);
    if (r.applies) out.applies = expression(*r.applies, pack_only);
    if (r.param_date) out.param_date = date_expression(*r.param_date, "param_date", pack_only);
    if (r.dated) out.dated = date_expression(*r.dated, "dated", pack_only);
    if (r.justification) out.justification = expression(*r.justification, pack_only);
    if (r.each) {
      CompiledEach each;
      each.name = r.each->name;
      each.all = r.each->all;
      if (auto in = expression(r.each->in, pack_only)) {
        if (in->expr->type.kind != TypeKind::any && in->expr->type.kind != TypeKind::list)
          error(r.each->in.loc(), Error::Code::type, "'each: in' must be a list");
        ir::Type elem = in->expr->type.element();
        each.in = std::move(*in);
        std::vector<check::Local> locals{{r.each->as, elem}};
        if (r.each->key) each.key = expression(*r.each->key, pack_only, locals);
        if (r.each->dated) each.dated = date_expression(*r.each->dated, "dated", pack_only, locals);
        each.conditions = conditions(r.each->conditions, pack_only, locals);
      }
      out.each = std::move(each);
    }
    for (const auto& o : r.outputs) {  // the loader already refused duplicate output names
      PackEnv env(*this, &out, out.outputs.size(), true);
      if (auto e = expression(o.expr, env))
        out.outputs.push_back({o.name, std::move(*e), o.title, o.unit, o.labels});
      else
        out.outputs.push_back({o.name, {}, o.title, o.unit, o.labels});
      if (auto& c = out.outputs.back(); c.labels.empty() && c.expr.expr) c.labels = schema_labels(*c.expr.expr, out);
    }
    for (const auto& name : r.answer) {
      auto it = std::find_if(out.outputs.begin(), out.outputs.end(), [&](const CompiledOutput& o) { return o.name == name; });
      if (it == out.outputs.end())
        error(r.answer_loc, Error::Code::name, "'answer' names '" + name + "', which is not an output of rule '" + r.id + "'");
      else
        out.answer.push_back(std::size_t(it - out.outputs.begin()));
    }
    PackEnv with_outputs(*this, &out, out.outputs.size(), true);
    out.conditions = conditions(r.conditions, with_outputs, {});
    if (!r.each && r.conditions.empty() && r.outputs.empty())
      error(r.loc, Error::Code::yaml, "rule '" + r.id + "' has no conditions, no 'each' and no outputs");
    out.params_used = params_used(out);
    return out;
  }

  // The words the subject schema gives (x-enum-labels) to the codes an output's value reads from
  // the document: its schema, not the pack, says what `invention_output_scale` is called.
  std::map<std::string, pack::Label> schema_labels(const ir::Expr& e, const CompiledRule& rule) const {
    std::map<std::string, pack::Label> out;
    if (!program_->schema) return out;
    std::map<int, std::string> locals;
    for (const auto& path : values_of(e, rule, locals)) {
      const nlohmann::json* field = program_->schema->field(path);
      if (!field || !field->is_object() || !field->contains("x-enum-labels")) continue;
      const auto& labels = field->at("x-enum-labels");
      if (!labels.is_object()) continue;
      for (const auto& label : labels.items()) {
        const nlohmann::json& words = label.value();
        if (!words.is_object()) continue;
        auto said = [&](const char* lang) {
          auto w = words.find(lang);
          return w != words.end() && w->is_string() ? w->get<std::string>() : std::string();
        };
        out.try_emplace(label.key(), pack::Label{{said("zh"), said("en")}, {}});
      }
    }
    return out;
  }

  // The schema paths (as Schema::field reads them: `scheme.indicators[].measures`) of the fields
  // whose values `e` is made of: its own field's, or its elements' when it is a list; the
  // branches of an `if`, what `map` takes from each element. None where the value is computed.
  // `locals`: the field each lambda parameter stands for.
  std::set<std::string> values_of(const ir::Expr& e, const CompiledRule& rule,
                                  std::map<int, std::string>& locals) const {
    using ir::Node;
    auto in_kids = [&](std::size_t from) {
      std::set<std::string> out;
      for (std::size_t k = from; k < e.kids.size(); ++k) out.merge(values_of(*e.kids[k], rule, locals));
      return out;
    };
    switch (e.node) {
      case Node::input:
      case Node::member:
      case Node::index:
      case Node::local: {
        std::string path = field_of(e, rule, locals);
        if (path.empty()) return {};
        return {e.type.kind == TypeKind::list ? path + "[]" : path};
      }
      case Node::def:
        if (const auto& body = program_->defs[std::size_t(e.slot)].body.expr) {
          std::map<int, std::string> none;
          return values_of(*body, rule, none);
        }
        return {};
      case Node::output:
        if (const auto& x = rule.outputs[std::size_t(e.slot)].expr.expr) return values_of(*x, rule, locals);
        return {};
      case Node::cond: return in_kids(1);
      case Node::list: return in_kids(0);
      case Node::call:
        if (e.fn->has(ir::result_as_list) || (e.fn->has(ir::result_element) && e.kids.size() == 1))
          return values_of(*e.kids[0], rule, locals);
        if (e.fn->has(ir::result_element)) return in_kids(0);
        if (e.fn->has(ir::result_of_lambda) && e.kids.size() == 2 && e.kids[1]->node == Node::lambda &&
            !e.kids[1]->slots.empty()) {
          auto elements = values_of(*e.kids[0], rule, locals);
          if (elements.size() != 1) return {};
          locals[e.kids[1]->slots[0]] = *elements.begin();
          return values_of(*e.kids[1]->kids[0], rule, locals);
        }
        return {};
      default: return {};
    }
  }

  // The schema path of the field `e` reads (`scheme.indicators[]` for an element of that list), or "".
  std::string field_of(const ir::Expr& e, const CompiledRule& rule, std::map<int, std::string>& locals) const {
    switch (e.node) {
      case ir::Node::input: return e.name;
      case ir::Node::member: {
        std::string of = field_of(*e.kids[0], rule, locals);
        return of.empty() ? of : of + "." + e.name;
      }
      case ir::Node::local:
        if (auto it = locals.find(e.slot); it != locals.end()) return it->second;
        return {};
      case ir::Node::index: {  // an element of a list; a member of an object by a computed key is not followed
        if (e.kids[0]->type.kind != TypeKind::list) return {};
        auto elements = values_of(*e.kids[0], rule, locals);
        return elements.size() == 1 ? *elements.begin() : std::string();
      }
      default: return {};
    }
  }

  void collect(const ir::Expr& e, std::set<std::string>& params, std::set<int>& defs_seen) {
    if (e.node == ir::Node::param) params.insert(e.name);
    // A calendar the pack names but that did not load has its own error: no advice to import one.
    if (e.node == ir::Node::call && e.fn->has(ir::needs_calendar) && !program_->calendar && !pack_.names_calendar)
      error(e.loc, Error::Code::name,
            std::string(e.fn->name) +
                " needs China's working-day calendar: add 'imports: [common]' to pack.yaml (or 'calendar: FILE')");
    if (e.node == ir::Node::call && e.fn->has(ir::needs_divisions) && !program_->divisions && !pack_.names_divisions)
      error(e.loc, Error::Code::name,
            std::string(e.fn->name) +
                " needs China's administrative divisions: add 'imports: [common]' to pack.yaml (or 'divisions: FILE')");
    if ((e.node == ir::Node::def || e.node == ir::Node::def_call) && defs_seen.insert(e.slot).second) {
      const auto& body = program_->defs[std::size_t(e.slot)].body.expr;
      if (body) collect(*body, params, defs_seen);
    }
    for (const auto& k : e.kids) collect(*k, params, defs_seen);
  }

  // Also checks, once per rule, that functions reading reference data have it.
  std::vector<ParamUse> params_used(const CompiledRule& r) {
    std::set<std::string> params;
    std::set<int> defs_seen;
    for_each_expr(r, [&](const CompiledExpr& c, ExprUse) {
      if (c.expr) collect(*c.expr, params, defs_seen);
    });
    std::vector<ParamUse> out;
    for (const auto& p : params) {
      auto declared = std::find_if(pack_.params.begin(), pack_.params.end(), [&](auto& d) { return d.name == p; });
      out.push_back({p, declared->title, params_.at(p).value, params_.at(p).dated});  // INVARIANT: p is declared
    }
    return out;
  }

  // A quote that is not in the plan's text cites nothing. A clause whose figures lie in several
  // passages quotes them joined by "……" (an ellipsis, as the plans' own excerpts do): each passage,
  // in order, must occur verbatim. The first passage that does not (empty: the quote is whole).
  std::optional<std::string_view> not_in_text(std::string_view quote) const {
    static constexpr std::string_view ellipsis = "……";
    std::size_t from = 0;
    for (std::size_t at = 0; at <= quote.size();) {
      std::size_t end = std::min(quote.find(ellipsis, at), quote.size());
      std::string_view passage = quote.substr(at, end - at);
      from = passage.empty() ? std::string::npos : pack_.source_text.find(passage, from);
      if (from == std::string::npos) return passage;
      from += passage.size();
      at = end + ellipsis.size();
    }
    return std::nullopt;
  }

  void check_quotes() {
    for (const auto& r : pack_.rules) {
      auto missing = r.quote.empty() ? std::nullopt : not_in_text(r.quote);
      if (!missing) continue;
      Error w;
      w.code = Error::Code::yaml;
      w.loc = r.loc;
      if (*missing == r.quote)
        w.say("the quote of rule '" + r.id + "' does not occur verbatim in the plan's text",
              "规则「" + r.id + "」的引文在方案原文中找不到（须逐字引用）");
      else if (missing->empty())
        w.say("the quote of rule '" + r.id + "' has an empty passage (…… at an end, or twice running)",
              "规则「" + r.id + "」的引文有空的片段（……位于开头或结尾，或连续出现）");
      else
        w.say("the quote of rule '" + r.id + "': its passage '" + std::string(*missing) +
                  "' does not occur verbatim in the plan's text after the passages before it",
              "规则「" + r.id + "」的引文片段「" + std::string(*missing) +
                  "」在方案原文中（前一片段之后）找不到（须逐字引用）");
      w.check = "quote-not-verbatim";
      warnings_.push_back(std::move(w));
    }
  }

  friend class PackEnv;
  const pack::Pack& pack_;
  std::vector<Error>& errors_;
  std::vector<Error>& warnings_;
  const std::size_t first_error_;  // errors_ held this many before: the loader's are not counted
  bool said_more_ = false;
  expr::Limits limits_;
  Program* program_ = nullptr;
  std::map<std::string, Binding, std::less<>> params_;
  std::map<std::string, int, std::less<>> def_index_;
  std::vector<State> def_state_;
  bool failed_ = false;
};

std::optional<Binding> PackEnv::resolve(std::string_view name) {
  if (rule_) {
    for (std::size_t i = 0; i < outputs_visible_ && i < rule_->outputs.size(); ++i)
      if (rule_->outputs[i].name == name) {
        Binding b{Binding::Kind::output, int(i), 0, {}, {}};
        if (rule_->outputs[i].expr.expr) b.type = rule_->outputs[i].expr.expr->type;
        return b;
      }
    if (item_fn_visible_ && rule_->each && rule_->each->name == name)
      return Binding{Binding::Kind::item_fn, 0, 1, ir::Type::of(TypeKind::boolean), {}};
  }
  return c_.lookup(name);
}

const ir::Shape* PackEnv::subject() const { return c_.subject(); }

std::vector<std::string> PackEnv::names() const {
  auto out = c_.names();
  if (rule_) {
    for (std::size_t i = 0; i < outputs_visible_ && i < rule_->outputs.size(); ++i)
      out.push_back(rule_->outputs[i].name);
    if (item_fn_visible_ && rule_->each) out.push_back(rule_->each->name);
  }
  return out;
}

}  // namespace

std::shared_ptr<const Program> compile(const pack::Pack& pack, const LoadOptions& options, std::vector<Error>& errors,
                                       std::vector<Error>& warnings) {
  return Compiler(pack, options, errors, warnings).run();
}

}  // namespace rulebook::detail
