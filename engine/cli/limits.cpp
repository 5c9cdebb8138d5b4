// The limits that bound work on any input, exposed on the command line with their defaults.

#include "cli/commands.hpp"

namespace rulebook::cli {

namespace {

// A limit is a plain decimal count in a sane range: "-1" must not wrap to unlimited, nor "0x10"
// be read as hexadecimal, nor a limit be so large that it bounds nothing.
CLI::Validator count_in(std::uint64_t low, std::uint64_t high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        bool digits = !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos;
        std::uint64_t v = digits ? std::stoull(text) : 0;
        if (!digits || v < low || v > high)
          return "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) + ", got '" +
                 text + "'";
        return {};
      },
      "COUNT in [" + std::to_string(low) + ", " + std::to_string(high) + "]");
}

}  // namespace

void add_limit_options(CLI::App& cmd, LoadOptions& load, InputLimits& input, EvalOptions& eval) {
  const char* group = "Limits";
  cmd.add_option("--max-steps", eval.max_steps, "evaluation budget per rule, in steps")
      ->check(count_in(1, 1'000'000'000'000))
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-list-length", eval.max_list_length, "longest list a rule may iterate")
      ->check(count_in(1, 1'000'000'000))
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-value-bytes", eval.max_value_bytes,
                 "bytes of strings and lists a rule may build (the data read is not counted)")
      ->check(count_in(1, std::uint64_t(4) << 30))
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-input-bytes", input.max_bytes, "largest input document, in bytes")
      ->check(count_in(1, std::uint64_t(4) << 30))
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-input-depth", input.max_depth, "deepest nesting of JSON arrays and objects")
      ->check(count_in(1, 4096))
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-expression-length", load.max_expression_length, "longest expression in a pack, in bytes")
      ->check(count_in(1, 1 << 20))
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--max-expression-depth", load.max_expression_depth,
                 "deepest nesting of brackets and prefix operators in an expression")
      ->check(count_in(1, 256))
      ->capture_default_str()
      ->group(group);
}

}  // namespace rulebook::cli
