#pragma once
// A compiled pack: every expression checked and resolved, ready to evaluate many times.
// Immutable once built, so any number of threads may evaluate it at once.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/ir.hpp"
#include "compile/code.hpp"
#include "pack/pack.hpp"
#include "rulebook/decision.hpp"
#include "rulebook/engine.hpp"
#include "schema/read_set.hpp"
#include "value/calendar.hpp"
#include "value/divisions.hpp"

namespace rulebook::schema {
class Schema;
}

namespace rulebook::detail {

struct CompiledExpr {
  ir::ExprPtr expr;  ///< the checked tree, which the analyses read
  int frame_size = 0;
  Code code;  ///< what the evaluator runs, lowered from `expr`
};

struct CompiledDef {
  std::string name;
  int arity = 0;  ///< 0: a value, computed once per document
  CompiledExpr body;
};

struct CompiledCondition {
  std::string name;
  Text message;
  SourceLoc loc;
  CompiledExpr require;
};

struct CompiledEach {
  CompiledExpr in;
  std::optional<CompiledExpr> key;
  std::string name;
  bool all = false;
  std::optional<CompiledExpr> dated;          ///< each element's event date
  std::vector<CompiledCondition> conditions;  // INVARIANT: slot 0 is the element
};

struct CompiledOutput {
  std::string name;
  CompiledExpr expr;
  Text title;
  std::string unit;
  /// As pack::Output::labels; when the pack gives none, the subject schema's x-enum-labels of
  /// the field the output's values come from (BZ-05's indicators' `measures`).
  std::map<std::string, pack::Label> labels;
};

/// A param a rule uses, for its trace.
struct ParamUse {
  std::string name;
  Text title;  ///< what the plan calls it (补助比例): a reviewer told it is unset reads this
  Value value;
  std::shared_ptr<const ir::DatedValues> dated;  ///< set when its value depends on the rule's param date
};

struct CompiledRule {
  std::string id;
  Text title;
  Severity severity = Severity::error;
  std::string clause, quote;
  Text note;
  std::optional<CompiledExpr> applies;
  std::optional<CompiledExpr> param_date;  ///< selects dated params' values; null: the as-of date
  std::optional<CompiledExpr> justification;
  std::optional<CompiledExpr> dated;  ///< the event's date, judged against the period and the review date
  std::vector<CompiledCondition> conditions;
  std::optional<CompiledEach> each;
  std::vector<CompiledOutput> outputs;
  std::vector<std::size_t> answer;  ///< indices into outputs: unknown leaves the rule undecided
  std::vector<ParamUse> params_used;  ///< for the trace
};

struct Program {
  PackInfo info;
  std::shared_ptr<const schema::Schema> schema;  ///< validates input; null when the pack names none
  std::unique_ptr<ir::Shape> subject;            ///< the schema's fields, for the checker
  std::shared_ptr<const Calendar> calendar;      ///< CM-03; null when the pack has none
  std::shared_ptr<const Divisions> divisions;    ///< GB/T 2260 provinces; null when the pack has none
  std::vector<CompiledDef> defs;
  std::vector<CompiledRule> rules;
  bool has_dated_params = false;  ///< then a def's value may differ between rules (their param dates)
  ReadSet reads;  ///< the parts of a document the schema and the rules look at
};

/// How a rule uses an expression's value: as a value, or only iterating it (`each: in`).
enum class ExprUse { value, iterated };

/// Calls f(expr, use) for every expression of a rule, in the order they are written.
template <class F>
void for_each_expr(const CompiledRule& r, F&& f) {
  if (r.applies) f(*r.applies, ExprUse::value);
  if (r.param_date) f(*r.param_date, ExprUse::value);
  if (r.justification) f(*r.justification, ExprUse::value);
  if (r.dated) f(*r.dated, ExprUse::value);
  if (r.each) {
    f(r.each->in, ExprUse::iterated);
    if (r.each->key) f(*r.each->key, ExprUse::value);
    if (r.each->dated) f(*r.each->dated, ExprUse::value);
    for (const auto& c : r.each->conditions) f(c.require, ExprUse::value);
  }
  for (const auto& o : r.outputs) f(o.expr, ExprUse::value);
  for (const auto& c : r.conditions) f(c.require, ExprUse::value);
}

/// The same for every def and rule of a program.
template <class F>
void for_each_expr(const Program& p, F&& f) {
  for (const auto& d : p.defs) f(d.body, ExprUse::value);
  for (const auto& r : p.rules) for_each_expr(r, f);
}

/// Computes Program::reads (compile/reads.cpp).
ReadSet document_reads(const Program& p);

/// Where the rules read a document, as JSON-path patterns (CompiledPack::read_paths;
/// compile/read_paths.cpp).
std::vector<std::string> read_paths(const Program& p);

}  // namespace rulebook::detail
