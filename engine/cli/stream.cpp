// rulebook check --stream: a co-process for any language. One JSON document a line on standard
// input, one line of decision JSON out for each (batch's JSON Lines record: the line number and
// the input's id first), flushed before the next line is read, until the input ends. A bad line
// is answered with an "invalid" record naming its line and the stream goes on.

#include <iostream>

#include "cli/commands.hpp"
#include "rulebook/batch.hpp"

namespace rulebook::cli {

ExitCode run_stream(const std::string& pack_dir, const std::string& as_of, const LoadOptions& load,
                    const InputLimits& limits, const EvalOptions& eval) {
  auto session = open_session("check", pack_dir, as_of, load);
  if (!session) return ExitCode::bad_input;
  OpenedInput in = open_input({"-"}, {}, limits);  // a line longer than --max-input-bytes is read past, not kept
  for (const auto& e : in.errors) std::cerr << e.to_string();
  if (!in.source) return ExitCode::bad_input;
  BatchOptions options;
  options.eval = eval;  // check's: with traces, as `check --format json` answers
  options.eval.as_of = session->as_of;
  options.limits = limits;
  options.interactive = true;
  BatchResult result = run_batch(session->pack, *in.source, options, &std::cout);
  return result.any_invalid ? ExitCode::bad_input : exit_code_for(result.worst);
}

}  // namespace rulebook::cli
