#pragma once
// The one place that decides what the process exit status means, for scripts.

#include "rulebook/decision.hpp"

namespace rulebook::cli {

enum class ExitCode {
  ok = 0,         ///< every rule passed or does not apply
  attention = 1,  ///< a rule failed or needs information
  bad_input = 2,  ///< bad input, bad rules, a rule error, or bad usage
};

/// The status for one document's outcome.
ExitCode exit_code_for(Outcome document_outcome);
/// The worse of two statuses.
ExitCode worst(ExitCode a, ExitCode b);

}  // namespace rulebook::cli
