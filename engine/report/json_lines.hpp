#pragma once
// JSON Lines for a stream of decisions (rulebook batch): what repeats from one decision to the
// next is escaped once and copied after.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rulebook/decision.hpp"

namespace rulebook::detail {

/// What each rule of the decisions written repeats, by the rule's place in the decision, as
/// JSON: its title, citation and note, the failed conditions seen (up to a few per rule), and
/// whole records but for their outputs (frames). A text is reused only when what it was
/// written from is the same as the decision's own, so the lines are byte for byte what
/// append_json_line writes. One per writing thread.
struct JsonLineMemo {
  template <class Source>
  struct Written {
    Source source;
    std::string json;  ///< empty: not written yet
  };
  /// A rule's whole record but its outputs' members, as the text before them and the text
  /// after, written from `source` (whose outputs are not kept): most records of a rule differ
  /// from an earlier one only there. Not for a record with items, an error or a trace.
  struct Frame {
    RuleDecision source;
    std::string before, after;  ///< both empty: not written yet
  };
  struct Rule {
    Written<Text> title, note;
    Written<Citation> citation;
    std::vector<Written<FailedCondition>> failed;
    std::vector<Frame> frames;
  };
  std::vector<Rule> rules;
  static constexpr std::size_t most_failed = 16;  ///< per rule: a rule's conditions, not its data
  static constexpr std::size_t most_frames = 8;   ///< per rule: its outcomes, with their failed conditions
};

/// append_json_line, with what repeats from `memo`.
void append_json_line(std::string& out, const Decision& d, std::size_t line, std::string_view id,
                      const JsonOptions& options, JsonLineMemo& memo);

}  // namespace rulebook::detail
