// rulebook diff: every input decided under the base and the head version of a pack; the
// differences collected by rule and direction, the totals kept by two Summaries, and the
// pack's own changes found by comparing the two versions as written.

#include "rulebook/diff.hpp"

#include <algorithm>
#include <map>

#include "compile/pack_access.hpp"
#include "compile/program.hpp"
#include "pack/pack.hpp"
#include "rulebook/report.hpp"

namespace rulebook {
namespace {

// A named item of a pack version, as text to compare, and where it is written.
struct Item {
  std::string text;
  SourceLoc at;
};
using Items = std::vector<std::pair<std::string, Item>>;  // in the order written

std::string param_text(const pack::Param& p) {
  if (p.dated.empty()) return p.value ? p.value->text : "(unset)";
  std::string t;
  for (const auto& [day, v] : p.dated)
    t += (t.empty() ? "" : "; ") + std::string("from ") + day.to_string() + ": " + v.value.text +
         (v.clause.empty() ? "" : " (" + v.clause + ")");
  return t;
}

// Everything a decision depends on, flattened to (kind, name) → text.
std::map<std::pair<std::string, std::string>, Item> flatten(const pack::Pack& p, Items* order_out) {
  std::map<std::pair<std::string, std::string>, Item> out;
  Items order;
  auto put = [&](const std::string& kind, const std::string& name, std::string text, SourceLoc at) {
    out[{kind, name}] = {text, at};
    order.push_back({kind + "\x1f" + name, {std::move(text), std::move(at)}});
  };
  put("period", "effective", p.info.effective_from.to_string() + " … " + p.info.effective_to.to_string(), {});
  for (const auto& x : p.params) {
    put("param", x.name, param_text(x), x.loc);
    put("param clause", x.name, x.clause, x.loc);
  }
  for (const auto& d : p.defs) {
    std::string sig = d.name;
    if (!d.params.empty()) {
      sig += "(";
      for (std::size_t i = 0; i < d.params.size(); ++i) sig += (i ? ", " : "") + d.params[i];
      sig += ")";
    }
    put("def", sig, d.body.text, d.loc);
  }
  for (const auto& r : p.rules) {
    put("rule", r.id, r.title.zh, r.loc);
    put("title", r.id, r.title.en, r.loc);  // what a reviewer reads in English
    put("quote", r.id, r.quote, r.loc);
    put("clause", r.id, r.clause, r.loc);
    put("severity", r.id, std::string(to_string(r.severity)), r.loc);
    if (r.applies) put("applies", r.id, r.applies->text, r.applies->loc());
    if (r.param_date) put("param_date", r.id, r.param_date->text, r.param_date->loc());
    if (r.justification) put("justification", r.id, r.justification->text, r.justification->loc());
    if (r.dated) put("dated", r.id, r.dated->text, r.dated->loc());  // the period and the review date judge it
    // A condition's reason, as the decision gives it to the reviewer.
    auto message = [](const pack::Condition& c) { return c.message.zh + " / " + c.message.en; };
    for (const auto& c : r.conditions) {
      put("condition", r.id + " / " + c.name, c.require.text, c.loc);
      put("message", r.id + " / " + c.name, message(c), c.loc);
    }
    if (r.each) {
      put("each", r.id, r.each->in.text + (r.each->all ? " (all)" : " (any)"), r.each->loc);
      if (r.each->key) put("key", r.id, r.each->key->text, r.each->key->loc());
      if (r.each->dated) put("dated", r.id + " / " + r.each->name, r.each->dated->text, r.each->dated->loc());
      for (const auto& c : r.each->conditions) {
        put("condition", r.id + " / " + c.name, c.require.text, c.loc);
        put("message", r.id + " / " + c.name, message(c), c.loc);
      }
    }
    for (const auto& o : r.outputs) {
      put("output", r.id + " / " + o.name, o.expr.text, o.expr.loc());
      if (!o.unit.empty()) put("unit", r.id + " / " + o.name, o.unit, o.expr.loc());  // money or not, in the totals
    }
    if (!r.answer.empty()) {  // which outputs are the money it grants (DiffReport::money)
      std::string names;
      for (const auto& a : r.answer) names += (names.empty() ? "" : ", ") + a;
      put("answer", r.id, names, r.answer_loc);
    }
  }
  if (order_out) *order_out = std::move(order);
  return out;
}

std::vector<PackChange> pack_changes(const PackVersion& base_version, const PackVersion& head_version) {
  auto base = pack::read_pack(base_version.dir, base_version.overlay);
  auto head = pack::read_pack(head_version.dir, head_version.overlay);
  if (!base.pack || !head.pack) return {};  // both compiled, so both read: unreachable in practice
  Items order;
  auto b = flatten(*base.pack, nullptr);
  auto h = flatten(*head.pack, &order);
  std::vector<PackChange> out;
  for (const auto& [key, item] : order) {
    auto sep = key.find('\x1f');
    std::string kind = key.substr(0, sep), name = key.substr(sep + 1);
    auto was = b.find({kind, name});
    if (was == b.end())
      out.push_back({kind, name, "", item.text, item.at});
    else if (was->second.text != item.text)
      out.push_back({kind, name, was->second.text, item.text, item.at});
  }
  for (const auto& [key, item] : b)  // removed in the head
    if (!h.count(key)) out.push_back({key.first, key.second, item.text, "", item.at});
  return out;
}

const RuleDecision* find_rule(const Decision& d, const std::string& id) {
  for (const auto& r : d.rules)
    if (r.id == id) return &r;
  return nullptr;
}

const Value* find_output(const RuleDecision* r, const std::string& name) {
  if (!r) return nullptr;
  for (const auto& [k, v] : r->outputs)
    if (k == name) return &v;
  return nullptr;
}

bool same(const Value* a, const Value* b) {
  // An output one version does not compute (its rule does not apply, or lacks it) is no more known
  // than an unknown one: "unknown → unknown" is no change (the rule's outcome change says it).
  if (!a || !b) return (!a || a->is_unknown()) && (!b || b->is_unknown());
  if (a->is_unknown() || b->is_unknown()) return a->is_unknown() && b->is_unknown();
  if (a->kind() == Kind::list && b->kind() == Kind::list) {  // element by element: unknown == unknown here
    const auto &x = a->as_list().items, &y = b->as_list().items;
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same(&x[i], &y[i])) return false;
    return true;
  }
  return a->kind() == b->kind() && *a == *b && a->to_display() == b->to_display();  // 1.5 ≠ 1.50 in a report
}

// The outputs whose sum is money spent: `unit: yuan`, and among the rule's answer when it names
// one (DS-01 totals `total`, not the cap left or the per-transaction amounts).
std::vector<std::pair<std::string, std::string>> money_outputs(const CompiledPack& pack) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : detail::program(pack).rules)
    for (std::size_t i = 0; i < r.outputs.size(); ++i)
      if (r.outputs[i].unit == "yuan" &&
          (r.answer.empty() || std::find(r.answer.begin(), r.answer.end(), i) != r.answer.end()))
        out.push_back({r.id, r.outputs[i].name});
  return out;
}

// The money rule `rule` grants in a decision: the sum of its money outputs that are numbers, and
// whether one of them is unknown (then the sum is not the amount, and is not counted).
struct Money {
  Decimal sum;
  bool unknown = false;
};
Money money_of(const RuleDecision* r, const std::string& rule,
               const std::vector<std::pair<std::string, std::string>>& money) {
  Money m;
  for (const auto& [id, name] : money)
    if (const Value* v = find_output(id == rule ? r : nullptr, name)) {
      if (v->kind() == Kind::number) m.sum = m.sum + v->as_number();
      m.unknown = m.unknown || v->is_unknown();
    }
  if (m.unknown) m.sum = Decimal();
  return m;
}

VersionNote version_note(const DiffReport& r, bool unhashed) {
  // Without hashes the pack's own changes stand in (they miss a schema edited beside it).
  bool same = !r.base_hash.empty() && !r.head_hash.empty() ? r.base_hash == r.head_hash : r.pack_changes.empty();
  if (same && unhashed && (r.base_hash.empty() || r.head_hash.empty())) return VersionNote::rules_alike;
  bool same_number = r.base_version == r.head_version;
  return same ? (same_number ? VersionNote::same_content : VersionNote::same_content_new_version)
              : (same_number ? VersionNote::changed_same_version : VersionNote::changed);
}

}  // namespace

std::string CaseRef::to_string() const {
  std::string where = source + (line ? ":" + std::to_string(line) : "");
  std::string who = id.empty() ? applicant : applicant.empty() ? id : id + " " + applicant;
  return who.empty() ? where : who + " (" + where + ")";
}

DiffReport diff_packs(const PackVersion& base, const PackVersion& head, InputSource& in, const DiffOptions& options) {
  constexpr int refused = -1;  // an outcome code: the version refused the input
  DiffReport r;
  const PackInfo &bi = base.pack.info(), &hi = head.pack.info();
  r.base = bi.id + " " + bi.version;
  r.head = hi.id + " " + hi.version;
  r.base_version = bi.version;
  r.head_version = hi.version;
  r.base_hash = options.base_hash;
  r.head_hash = options.head_hash;
  r.base_pack = base.pack;
  r.head_pack = head.pack;
  r.as_of = options.as_of.to_string();
  r.base_totals = Summary(base.pack, r.as_of);
  r.head_totals = Summary(head.pack, r.as_of);
  r.pack_changes = pack_changes(base, head);
  r.version_note = bi.id != hi.id ? VersionNote::different_packs : version_note(r, options.unhashed);
  auto money_base = money_outputs(base.pack), money_head = money_outputs(head.pack);
  r.money = money_head;
  for (const auto& m : money_base)
    if (std::find(r.money.begin(), r.money.end(), m) == r.money.end()) r.money.push_back(m);
  std::map<std::tuple<std::size_t, int, int>, MoneyImpact> impact;  // by rule (its index in `rules`), from, to

  // Rules in the head's order, then those only the base has; "" (the document) first.
  std::vector<std::string> rules{""};
  for (const auto& id : hi.rule_ids) rules.push_back(id);
  for (const auto& id : bi.rule_ids)
    if (std::find(rules.begin(), rules.end(), id) == rules.end()) rules.push_back(id);
  std::map<std::tuple<std::size_t, int, int>, std::vector<CaseRef>> moved;

  EvalOptions eval = options.eval;  // the limits given, as check applies them
  eval.as_of = options.as_of;
  eval.trace = false;
  eval.validate = false;  // validated per document
  BatchInput input;
  while (in.next(input)) {
    ++r.inputs;
    CaseRef ref{input.source, input.line, {}, {}};
    std::vector<Error> errors = std::move(input.errors);
    std::optional<Document> doc;
    if (errors.empty()) {
      DocumentResult parsed = Document::parse(input.text, input.source, options.limits);
      for (auto& e : parsed.errors)
        if (input.line && e.loc.known()) e.loc.line += int(input.line) - 1;
      errors = std::move(parsed.errors);
      doc = std::move(parsed.document);
    }
    bool base_refuses = !errors.empty(), head_refuses = !errors.empty();  // unreadable: by both
    if (doc) {
      if (const Value* id = doc->root().as_object().find("id"); id && id->kind() != Kind::unknown)
        ref.id = id->kind() == Kind::string ? id->as_string() : id->to_display();
      ref.applicant = applicant_of(*doc, &head.pack).name;  // where the head's subject schema says
      auto refused_by = [&](const char* which, std::vector<Error> found) {
        for (auto& e : found) {
          e.message = which + e.message;
          errors.push_back(std::move(e));
        }
        return !found.empty();
      };
      base_refuses = refused_by("base: ", base.pack.validate(*doc));
      head_refuses = refused_by("head: ", head.pack.validate(*doc));
    }
    if (!errors.empty()) r.invalid.push_back({ref, errors});
    if (base_refuses && head_refuses) {
      r.base_totals.add_invalid();
      r.head_totals.add_invalid();
      continue;
    }
    // One version may refuse what the other decides (a schema changed): that decision is no
    // decision under the first, and its money goes or comes with it.
    Decision db, dh;
    if (base_refuses)
      r.base_totals.add_invalid();
    else
      r.base_totals.add(db = base.pack.evaluate(*doc, eval));
    if (head_refuses)
      r.head_totals.add_invalid();
    else
      r.head_totals.add(dh = head.pack.evaluate(*doc, eval));
    for (std::size_t k = 0; k < rules.size(); ++k) {
      const std::string& id = rules[k];
      const RuleDecision *rb = id.empty() || base_refuses ? nullptr : find_rule(db, id),
                         *rh = id.empty() || head_refuses ? nullptr : find_rule(dh, id);
      // A rule one version lacks does not apply under that version.
      Outcome ob = id.empty() && !base_refuses ? db.outcome : rb ? rb->outcome : Outcome::not_applicable;
      Outcome oh = id.empty() && !head_refuses ? dh.outcome : rh ? rh->outcome : Outcome::not_applicable;
      const int from = base_refuses ? refused : int(ob), to = head_refuses ? refused : int(oh);
      // A refused input is one change of the whole document, not one per rule or output.
      if (from != to && (id.empty() || !(base_refuses || head_refuses))) moved[{k, from, to}].push_back(ref);
      if (id.empty()) continue;
      auto grants = [&](const std::pair<std::string, std::string>& m) { return m.first == id; };
      if (std::any_of(r.money.begin(), r.money.end(), grants)) try {
        // Both versions' money by the same outputs, those the totals add up (r.money): an output
        // that only one version marks as money (`unit: yuan`, `answer:`) is not money moved.
        Money mb = money_of(rb, id, r.money), mh = money_of(rh, id, r.money);  // a refusal pays nothing
        if (from != to || mb.sum != mh.sum || mb.unknown != mh.unknown) {
          MoneyImpact& m = impact[{k, from, to}];
          m.rule = id, m.from = ob, m.to = oh, m.from_invalid = base_refuses, m.to_invalid = head_refuses;
          ++m.inputs;
          m.base = m.base + mb.sum, m.head = m.head + mh.sum;
          m.base_unknown += mb.unknown, m.head_unknown += mh.unknown;
        }
      } catch (const DecimalError&) {  // past 36 digits: said, as a total's overflow is (never thrown)
        if (r.overflowed.empty()) r.overflowed = id;
      }
      if (base_refuses || head_refuses) continue;
      std::vector<std::string> names;
      for (const auto* rd : {rh, rb})
        if (rd)
          for (const auto& [name, v] : rd->outputs)
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      for (const auto& name : names) {
        const Value *vb = find_output(rb, name), *vh = find_output(rh, name);
        if (!same(vb, vh)) r.outputs.push_back({id, name, ref, vb ? *vb : Value(), vh ? *vh : Value()});
      }
    }
  }
  auto outcome = [](int code) { return code == refused ? Outcome::not_applicable : Outcome(code); };
  for (auto& [key, cases] : moved)
    r.outcomes.push_back({rules[std::get<0>(key)], outcome(std::get<1>(key)), outcome(std::get<2>(key)),
                          std::move(cases), std::get<1>(key) == refused, std::get<2>(key) == refused});
  for (auto& [key, m] : impact) r.impact.push_back(m);
  return r;
}

}  // namespace rulebook
