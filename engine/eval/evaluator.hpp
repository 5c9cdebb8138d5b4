#pragma once
// Evaluates a compiled pack against documents, one at a time. It holds the per-document state
// (def values, frames, the trace being written) and keeps its memory from one document to the
// next, so a batch worker evaluates with one Evaluator; never shared between threads.

#include <deque>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "rulebook/engine.hpp"
#include "value/recycler.hpp"

namespace rulebook::detail {

/// Throws std::invalid_argument when options.as_of is unset: rules never read a clock.
void require_as_of(const EvalOptions& options);

class Evaluator {
 public:
  Evaluator(const Program& program, const EvalOptions& options);

  /// The decision on `doc`. Throws std::invalid_argument when options.as_of is unset.
  Decision run(const Document& doc) {
    Decision d;
    run(doc, d);
    return d;
  }
  /// The same, written over `out`: a batch worker passes one decision for every record, whose
  /// strings and lists keep their memory from one to the next.
  void run(const Document& doc, Decision& out);
  /// The value of an expression that reads no document (lint's test for constant conditions).
  Value constant(const CompiledExpr& c);

 private:
  friend class CallArgs;
  using Frame = std::vector<Value>;

  void rule(const CompiledRule& r, RuleDecision& d);
  Value eval(const Instr& e, Frame& frame);
  Value eval_top(const CompiledExpr& c, std::span<const Value> locals = {});
  /// Field `name` of `base`: unknown (naming its JSON path) when absent or null.
  Value member(const Value& base, std::string_view name, const Instr& at);
  // Field `name` of `base` where it lies, when reading it neither reports it missing nor traces
  // it (member() then returns a copy of it); null otherwise.
  const Value* present_field(const Value& base, std::string_view name) const;
  // The same, for a field of `obj` already found (null: absent).
  const Value* present(const Object& obj, const Value* field) const;
  /// The value of `e` as eval() gives it, taken where it lies when it is a constant, a param, a
  /// local or a document's field reached from those (no copy, no reference count touched);
  /// otherwise computed into `scratch`. Valid while `scratch` and `frame` are.
  const Value* place(const Instr& e, Frame& frame, Value& scratch);
  Value binary(const Instr& e, Frame& frame);
  /// ir::equal for `==`, `!=` and `in` at `e`, a difference of kinds its type error.
  Value equal(const Instr& e, Frame& frame, const Value& a, const Value& b);
  Value logical(const Instr& e, Frame& frame);
  /// `if c then x else y` while `c` is unknown: unknown, asking for what `c` lacks and for what
  /// either branch would lack, so that a reviewer asks the applicant once (the amount a subsidy
  /// needs, not only whether it is due).
  Value open_branches(const Instr& e, Frame& frame, const Value& c);
  Value item_verdict(const CompiledEach& each, const Value& element, ItemDecision* detail);
  /// Where an event's date stands: in the plan's period and not after the review date, it is judged.
  enum class DateStanding { judged, unknown, outside_period, after_review };
  DateStanding date_standing(const Value& when, const SourceLoc& at) const;
  Text outside_period_reason(const Date& when) const;
  Text after_review_reason(const Date& when) const;
  /// The JSON path of the data an expression reads, for error messages ("" if none).
  std::string path_of(const Instr& e, Frame& frame);
  [[noreturn]] void type_error(const Instr& at, Frame& frame, const std::string& message);
  Value dated(const std::string& name, const ir::DatedValues& values) const;
  /// Appends a failed condition as the decision reports it: without `explain`, only its name
  /// (its message and place are texts a summary never reads). With them, it is written over one
  /// recycled from an earlier decision when there is one, whose strings keep their memory.
  template <class MakeMessage>
  void add_failure(std::vector<FailedCondition>& to, const std::string& name, const SourceLoc& at,
                   MakeMessage&& message) {
    FailedCondition& f = to.emplace_back();
    if (!options_.explain) return void(f.name = name);
    if (!spare_failures_.empty()) {
      f = std::move(spare_failures_.back());
      spare_failures_.pop_back();
    }
    f.name = name;
    f.message = message();
    f.at = at;
  }
  /// Keeps the failed conditions of `from` for add_failure (with `explain`), and empties it.
  void recycle(std::vector<FailedCondition>& from) {
    if (options_.explain)
      for (auto& f : from) spare_failures_.push_back(std::move(f));
    from.clear();
  }
  void step() {  // inline: every node takes one; a step changes no byte count, so only steps are checked
    if (++steps_ > options_.max_steps) check_budget();
  }
  void iterate(std::size_t n);
  /// Work by size: reading `bytes` of text, producing a value of `bytes` (see EvalOptions).
  void scan(std::size_t bytes) {  // inline: every comparison of texts takes one
    steps_ += bytes / 64;         // a step covers 64 bytes: `contains` on a long text costs by its length
    if (steps_ > options_.max_steps) check_budget();
  }
  void produce(std::size_t bytes);
  void check_budget();
  /// A parameterless def's value, computed once per document where the trace allows (see rule()).
  /// Valid until the next document, or the next rule when defs are computed per rule.
  const Value& def_value(std::size_t slot);
  /// Charges the rule for a def whose value an earlier rule computed, and for the defs it read.
  void charge_def(std::size_t slot);

  const Program& program_;
  const Document* doc_ = nullptr;  ///< the document being decided
  const EvalOptions options_;  // a copy: the review date written into decisions is the one they were taken on
  const std::string as_of_;    ///< options_.as_of as the decision writes it
  // Per rule:
  const CompiledRule* rule_ = nullptr;
  std::vector<Value> outputs_;
  std::vector<std::optional<Value>> defs_;
  std::vector<TraceEntry> inputs_read_;
  std::vector<FailedCondition> spare_failures_;  // from earlier decisions, for add_failure
  Recycler recycler_;                            // the defs' lists of earlier documents, for new_list()
  std::set<std::string> inputs_seen_;
  std::uint64_t steps_ = 0, bytes_ = 0;
  // What computing each def cost, itself only (the defs it read are charged by their own), so
  // that a rule reusing a value pays what computing it would: the budget is the same with and
  // without a trace, in check and in batch.
  struct DefCost {
    std::uint64_t steps = 0, bytes = 0;
    std::vector<std::size_t> defs;  ///< the defs it read
  };
  std::vector<DefCost> def_costs_;
  std::vector<bool> def_charged_;  ///< per rule: the defs it has paid for
  DefCost* measuring_ = nullptr;   ///< while a def is computed: what the defs it reads cost, and which

  Value param_date_;          ///< the day that selects dated params' values in the current rule
  std::deque<Frame> frames_;  // frames_[n]: the frame of the n-th nested eval_top (a deque: growing keeps references)
  std::size_t depth_ = 0;
};

}  // namespace rulebook::detail
