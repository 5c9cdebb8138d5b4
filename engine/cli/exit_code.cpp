#include "cli/exit_code.hpp"

namespace rulebook::cli {

ExitCode exit_code_for(Outcome o) {
  switch (o) {
    case Outcome::pass:
    case Outcome::not_applicable: return ExitCode::ok;
    case Outcome::fail:
    case Outcome::needs_info: return ExitCode::attention;
    case Outcome::error: return ExitCode::bad_input;
  }
  return ExitCode::bad_input;
}

ExitCode worst(ExitCode a, ExitCode b) { return static_cast<int>(a) > static_cast<int>(b) ? a : b; }

}  // namespace rulebook::cli
