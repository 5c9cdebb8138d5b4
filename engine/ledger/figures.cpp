#include "ledger/figures.hpp"

#include <set>

#include "yaml/yaml.hpp"

namespace rulebook::ledger {
namespace {

namespace fs = std::filesystem;

Error yaml_error(const fs::path& file, const yaml::Mark& mark, std::string message) {
  Error e;
  e.code = Error::Code::yaml;
  e.message = std::move(message);
  e.loc = SourceLoc{file.string(), mark.line + 1, mark.column + 1};
  return e;
}

// The rule's decision in a recorded decision's JSON, parsed exactly (decimals keep their digits).
const Object* rule_in(const Value& decision, const std::string& rule) {
  if (decision.kind() != Kind::object) return nullptr;
  const Value* rules = decision.as_object().find("rules");
  if (!rules || rules->kind() != Kind::list) return nullptr;
  for (const Value& r : rules->as_list().items) {
    if (r.kind() != Kind::object) continue;
    const Value* id = r.as_object().find("id");
    if (id && id->kind() == Kind::string && id->as_string() == rule) return &r.as_object();
  }
  return nullptr;
}

const Value* output_of(const Object& rule, const std::string& name) {
  const Value* outputs = rule.find("outputs");
  if (!outputs || outputs->kind() != Kind::object) return nullptr;
  return outputs->as_object().find(name);
}

}  // namespace

LedgerFigures load_figures(const fs::path& dir, std::vector<Error>& errors) {
  LedgerFigures out;
  fs::path file = dir / "ledger" / "figures.yaml";
  if (!fs::exists(file)) return out;
  const auto parsed = yaml::parse_file(file);
  if (parsed.error) {
    errors.push_back(yaml_error(file, parsed.error->mark, parsed.error->message));
    return out;
  }
  const yaml::Node root = parsed.document.root();
  yaml::Node figures = root["figures"];
  if (!root.is_map() || !figures || !figures.is_map()) {
    errors.push_back(yaml_error(file, root.mark(), "expected a mapping 'figures:' of name → {rule, sum | paid_items}"));
    return out;
  }
  for (const auto& kv : figures.pairs()) {
    FigureSpec s;
    s.name = kv.key.text();
    const yaml::Node& v = kv.value;
    if (!v.is_map()) {
      errors.push_back(
          yaml_error(file, v.mark(), "figure '" + s.name + "': expected a mapping with rule and sum or paid_items"));
      continue;
    }
    for (const auto& m : v.pairs()) {
      std::string key = m.key.text();
      if (key == "rule" && m.value.is_scalar())
        s.rule = m.value.text();
      else if (key == "sum" && m.value.is_scalar())
        s.sum = m.value.text();
      else if (key == "paid_items" && m.value.is_scalar())
        s.paid_items = m.value.text();
      else if (key == "keys" && m.value.is_scalar())
        s.keys = m.value.text();
      else if (key == "keys_in_input" && m.value.is_scalar() && m.value.text().find("[].") != std::string::npos)
        s.keys_in_input = m.value.text();
      else if (key == "outcomes" && m.value.is_sequence())
        for (const auto& o : m.value.elements()) s.outcomes.push_back(o.text());
      else
        errors.push_back(
            yaml_error(file, m.key.mark(),
                       "figure '" + s.name + "': unknown or ill-typed key '" + key +
                           "'; expected rule, sum, paid_items, keys, keys_in_input (LIST[].PATH), outcomes"));
    }
    if (s.rule.empty() || s.sum.empty() == s.paid_items.empty()) {
      errors.push_back(
          yaml_error(file, v.mark(), "figure '" + s.name + "': needs a rule and exactly one of sum, paid_items"));
      continue;
    }
    if ((!s.keys.empty() && s.paid_items.empty()) || (!s.keys_in_input.empty() && s.keys.empty())) {
      errors.push_back(
          yaml_error(file, v.mark(),
                     "figure '" + s.name + "': keys names the items of paid_items, keys_in_input stands in for keys"));
      continue;
    }
    out.specs.push_back(std::move(s));
  }
  return out;
}

// The names `keys_in_input` ("transactions[].contract.number") gives in a recorded input: one per
// element of the list, a string or null; empty when the input is not kept or holds no such list.
std::vector<Value> names_in_input(const std::optional<std::string>& input, const std::string& keys_in_input) {
  std::vector<Value> out;
  if (!input) return out;
  auto doc = Document::parse(*input, "-").document;
  if (!doc) return out;
  std::size_t split = keys_in_input.find("[].");
  auto walk = [](const Value* v, std::string_view path) {
    for (std::size_t at = 0; v && at <= path.size();) {
      std::size_t end = std::min(path.find('.', at), path.size());
      v = v->kind() == Kind::object ? v->as_object().find(path.substr(at, end - at)) : nullptr;
      at = end + 1;
    }
    return v;
  };
  const Value* list = walk(&doc->root(), std::string_view(keys_in_input).substr(0, split));
  if (!list || list->kind() != Kind::list) return out;
  for (const Value& e : list->as_list().items) {
    const Value* name = walk(&e, std::string_view(keys_in_input).substr(split + 3));
    out.push_back(name && name->kind() == Kind::string ? *name : Value(nullptr));
  }
  return out;
}

Contribution contribution_of(const LedgerFigures& figures, const Record& r) {
  Contribution out;
  out.parts.resize(figures.specs.size());
  const auto decision = Document::parse(r.decision_json, r.id).document;
  if (!decision) return out;
  for (std::size_t s = 0; s < figures.specs.size(); ++s) {
    const FigureSpec& spec = figures.specs[s];
    Contribution::Part& part = out.parts[s];
    const Object* rule = rule_in(decision->root(), spec.rule);
    if (!rule) continue;
    if (!spec.outcomes.empty()) {
      const Value* o = rule->find("outcome");
      if (!o || o->kind() != Kind::string) continue;
      bool counted = false;
      for (const auto& want : spec.outcomes) counted = counted || o->as_string() == want;
      if (!counted) continue;
    }
    if (!spec.sum.empty()) {
      const Value* v = output_of(*rule, spec.sum);
      if (v && v->kind() == Kind::number) part.amount = v->as_number();
      continue;
    }
    // INVARIANT: a list output the rule computes per element of its `each:` list is parallel
    // to its items (both follow the input's order), so the i-th amount belongs to the i-th key.
    const Value* amounts = output_of(*rule, spec.paid_items);
    const Value* items = spec.keys.empty() ? rule->find("items") : output_of(*rule, spec.keys);
    Value from_input;  // a decision recorded before the `keys` output existed: its input names them
    if (!items && !spec.keys_in_input.empty()) {
      from_input = Value::list(names_in_input(r.input, spec.keys_in_input));
      items = &from_input;
    }
    if (!amounts || amounts->kind() != Kind::list || !items || items->kind() != Kind::list) continue;
    const auto& a = amounts->as_list().items;
    const auto& it = items->as_list().items;
    for (std::size_t i = 0; i < a.size() && i < it.size(); ++i) {
      if (a[i].kind() != Kind::number || !(Decimal() < a[i].as_number())) continue;
      const Value* key = &it[i];  // a name from `keys`, or an item's key
      if (spec.keys.empty()) key = it[i].kind() == Kind::object ? it[i].as_object().find("key") : nullptr;
      if (key && key->kind() == Kind::string) part.names.push_back(key->as_string());
    }
  }
  return out;
}

std::shared_ptr<const Contribution> Contributions::of(const LedgerFigures& figures, const Record& r) {
  if (r.id.empty()) return std::make_shared<const Contribution>(contribution_of(figures, r));
  {
    std::lock_guard lock(mutex_);
    if (auto found = by_id_.find(r.id); found != by_id_.end()) return found->second;
  }
  auto made = std::make_shared<const Contribution>(contribution_of(figures, r));  // read outside the lock
  std::lock_guard lock(mutex_);
  if (by_id_.size() >= limit_) by_id_.clear();
  return by_id_.try_emplace(r.id, std::move(made)).first->second;
}

Value compute_figures(const LedgerFigures& figures, const std::vector<Record>& prior) {
  std::vector<Contribution> read;
  for (const auto& r : prior) read.push_back(contribution_of(figures, r));
  std::vector<const Contribution*> each;
  for (const auto& c : read) each.push_back(&c);
  return compute_figures(figures, each);
}

Value compute_figures(const LedgerFigures& figures, const std::vector<const Contribution*>& prior) {
  std::vector<std::pair<std::string, Value>> members;
  for (std::size_t s = 0; s < figures.specs.size(); ++s) {
    const FigureSpec& spec = figures.specs[s];
    Decimal sum;
    std::vector<Value> keys;
    std::set<std::string> seen;  // a name paid twice is listed once, where first paid
    for (const Contribution* c : prior) {
      const Contribution::Part& part = c->parts[s];
      if (part.amount) sum = sum + *part.amount;
      for (const auto& name : part.names)
        if (seen.insert(name).second) keys.emplace_back(name);
    }
    if (!spec.sum.empty()) members.emplace_back(spec.name, Value(sum));
    else
      members.emplace_back(spec.name, Value::list(std::move(keys), "$.ledger." + spec.name));
  }
  members.emplace_back("decisions", Value(std::int64_t(prior.size())));
  return Value::object(std::move(members), "$.ledger");
}

Document with_ledger(const Document& doc, const Value& ledger) {
  if (doc.root().kind() != Kind::object) return doc;
  const Object& root = doc.root().as_object();
  std::vector<std::pair<std::string, Value>> members;
  members.reserve(root.members.size() + 1);
  for (const auto& m : root.members)
    if (m.first != "ledger") members.push_back(m);
  members.emplace_back("ledger", ledger);
  return Document::make(Value::object(std::move(members), root.path), doc.name());
}

}  // namespace rulebook::ledger
