// The limits that bound work on any input, exposed on the command line with their defaults.

#include "cli/commands.hpp"

namespace rulebook::cli {

void add_limit_options(CLI::App& cmd, LoadOptions& load, InputLimits& input, EvalOptions& eval) {
  const char* group = "Limits";
  cmd.add_option("--max-steps", eval.max_steps, "evaluation budget per rule, in steps")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-list-length", eval.max_list_length, "longest list a rule may iterate")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-input-bytes", input.max_bytes, "largest input document, in bytes")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-input-depth", input.max_depth, "deepest nesting of JSON arrays and objects")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-expression-length", load.max_expression_length, "longest expression in a pack, in bytes")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-expression-depth", load.max_expression_depth,
                 "deepest nesting of brackets and prefix operators in an expression")
      ->capture_default_str()
      ->group(group);
}

}  // namespace rulebook::cli
