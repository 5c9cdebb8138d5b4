// rulebook lint: load errors, the loader's drafting warnings, and the checks only a view of
// the whole pack can make (what is never used, what is constant, which rules no case tests).
// A rule without a quote or a clause does not load: the loader reports it as an error.

#include "rulebook/lint.hpp"

#include <algorithm>
#include <set>

#include "check/functions.hpp"
#include "eval/evaluator.hpp"
#include "pack/pack.hpp"
#include "report/json_writer.hpp"
#include "rulebook/cases.hpp"

namespace rulebook {
namespace {

using ir::Node;

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

Finding warning(std::string check, std::string message, SourceLoc at) {
  Finding f{std::move(check), Severity::warning, {}};
  f.where.code = Error::Code::yaml;
  f.where.message = std::move(message);
  f.where.loc = std::move(at);
  return f;
}

// Is `at` in this pack's own files (not an imported pack's)?
bool ours(const SourceLoc& at, const std::filesystem::path& dir) {
  std::error_code ec;
  auto file = std::filesystem::weakly_canonical(at.file, ec), d = std::filesystem::weakly_canonical(dir, ec);
  return file.parent_path() == d;
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
      {"unused-param", "a param no rule or def uses"},
      {"unused-def", "a def no rule or def uses"},
      {"quote-not-verbatim", "a rule's quote does not occur verbatim in the plan's text (source.txt)"},
      {"param-without-clause", "a param that names no clause of the plan"},
      {"condition-without-message", "a condition without a message for the reviewer"},
      {"constant-condition", "a condition or 'applies' that is always true or always false"},
      {"rule-without-cases", "a rule (a catalog id) that no stored case tests"},
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
  auto read = pack::read_pack(dir);
  if (!read.pack) return out;
  const pack::Pack& pack = *read.pack;
  const detail::Program& program = loaded.pack->program();

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
      out.push_back(warning("unused-param", "param '" + p.name + "' is not used by any rule or def", p.loc));
  for (std::size_t i = 0; i < pack.defs.size(); ++i)
    if (ours(pack.defs[i].loc, dir) && !defs_used.count(int(i)))
      out.push_back(warning("unused-def", "def '" + pack.defs[i].name + "' is not used by any rule or def", pack.defs[i].loc));

  // Conditions that read nothing from the document have one value, whatever is submitted.
  Document empty = Document::make(Value::object({}), "lint");
  EvalOptions eval{.as_of = program.info.effective_from};
  detail::Evaluator ev(program, empty, eval);
  auto constant = [&](const detail::CompiledExpr& c, const std::string& what, const SourceLoc& at) {
    if (!c.expr || reads_anything(*c.expr)) return;
    try {
      Value v = ev.constant(c);
      if (v.kind() == Kind::boolean)
        out.push_back(warning("constant-condition", what + " is always " + (v.as_bool() ? "true" : "false"),
                              at.known() ? at : c.expr->loc));
    } catch (const ir::EvalError&) {  // an error is reported when the rule runs, with its location
    }
  };
  for (const auto& r : program.rules) {
    if (r.applies) constant(*r.applies, "'applies' of rule '" + r.id + "'", r.applies->expr->loc);
    for (const auto& c : r.conditions) constant(c.require, "condition '" + c.name + "' of rule '" + r.id + "'", c.loc);
  }

  // Rules (catalog ids) that no stored case exercises.
  CaseRun run = run_cases(*loaded.pack, dir);
  for (const auto& r : pack.rules)
    if (ours(r.loc, dir) && std::none_of(run.results.begin(), run.results.end(), [&](const CaseResult& c) { return c.rule == r.id; }))
      out.push_back(warning("rule-without-cases", "rule '" + r.id + "' has no case in cases/: add cases that pass, fail and need information", r.loc));

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
