#pragma once
// What a reviewer reads: per rule an outcome, outputs, reasons, missing data, a trace
// and the clause quoted; per document the worst outcome.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rulebook/error.hpp"
#include "rulebook/value.hpp"

namespace rulebook {

enum class Outcome { pass, fail, needs_info, not_applicable, error };
std::string_view to_string(Outcome o);

enum class Severity { error, warning, info };
std::string_view to_string(Severity s);

/// Text in Chinese and English; `get` falls back to the other language when one is empty.
struct Text {
  std::string zh, en;
  const std::string& get(std::string_view lang) const;
};

struct FailedCondition {
  std::string name;
  Text message;
  SourceLoc at;  ///< where the condition is written
};

/// One value that decided the rule: an input read, a param, a condition or an output.
struct TraceEntry {
  std::string kind;  ///< "input", "param", "condition", "item", "output"
  std::string name;  ///< a JSON path, a param or condition name
  std::string value;
};

/// The verdict on one element of a rule's `each:` list (a transaction, a patent…).
struct ItemDecision {
  std::string key;  ///< the element's `key:` value, or its index
  Outcome outcome = Outcome::pass;
  Text reason;  ///< why not_applicable (dated outside the plan's period)
  std::vector<FailedCondition> failed;
  std::vector<std::string> missing;
};

struct Citation {
  std::string pack, version, document, clause, quote;
};

struct RuleDecision {
  std::string id;
  Text title;
  Severity severity = Severity::error;
  Outcome outcome = Outcome::pass;
  Text reason;                ///< why not_applicable
  std::string justification;  ///< the recorded reason that cleared a warning's failure (outcome pass)
  std::vector<std::pair<std::string, Value>> outputs;
  std::vector<FailedCondition> failed;
  std::vector<std::string> missing;  ///< JSON paths (or "param NAME") to ask for
  std::vector<ItemDecision> items;
  std::optional<Error> error;  ///< set when outcome is error
  std::vector<TraceEntry> trace;
  Citation citation;
  Text note;  ///< the reading the rule follows

  /// The output called `name`; nullptr when the rule has none by that name (or stopped before it).
  const Value* output(std::string_view name) const {
    for (const auto& [n, v] : outputs)
      if (n == name) return &v;
    return nullptr;
  }
};

struct Decision {
  std::string pack, version;
  std::string document;  ///< the input's name (file path or "-")
  std::string as_of;
  Outcome outcome = Outcome::not_applicable;  ///< the worst outcome that counts (see outcome_of)
  std::vector<RuleDecision> rules;

  /// The decision on the rule `id` ("DS-01"); nullptr when the pack has no such rule.
  const RuleDecision* rule(std::string_view id) const {
    for (const auto& r : rules)
      if (r.id == id) return &r;
    return nullptr;
  }
};

/// The document's outcome: error > fail > needs_info > pass > not_applicable, where the fail
/// of a rule whose severity is warning or info is reported but does not fail the document.
Outcome outcome_of(const std::vector<RuleDecision>& rules);

/// How a decision is written as JSON.
struct JsonOptions {
  /// Numbers as strings ("500000.00"): a JavaScript number is a binary double, which would lose
  /// the exact digits of money.
  bool numbers_as_strings = false;
};

/// The decision as stable JSON, documented by schemas/decision.schema.json.
std::string to_json(const Decision& d, const JsonOptions& options = {});
/// Several decisions as one JSON document {"outcome", "decisions": [...]}.
std::string to_json(const std::vector<Decision>& ds);
/// One line of `rulebook batch` output: the decision on one line, with the input's line
/// number and id (its "id" member; empty: null) first.
std::string to_json_line(const Decision& d, std::size_t line, std::string_view id, const JsonOptions& options = {});
/// The same line appended to `out`, with no copy: for a stream of many.
void append_json_line(std::string& out, const Decision& d, std::size_t line, std::string_view id,
                      const JsonOptions& options = {});
/// The line for an input that could not be evaluated: "outcome": "invalid" and its errors.
std::string to_json_line(const std::vector<Error>& errors, std::string_view document, std::size_t line,
                         std::string_view id);
/// The decision for people; lang is "zh" (default) or "en".
std::string to_text(const Decision& d, std::string_view lang = "zh");

}  // namespace rulebook
