#pragma once
// Parses one expression and checks it against the pack: names, functions, arity and
// the types that can be seen before any data arrives. Produces the resolved ir::Expr.

#include <optional>
#include <string>
#include <vector>

#include "check/ir.hpp"
#include "expr/parse.hpp"
#include "expr/source.hpp"

namespace rulebook::check {

/// What a pack-level name means.
struct Binding {
  enum class Kind { param, def, def_fn, output, item_fn } kind;
  int index = -1;  ///< def index or output slot
  int arity = 0;   ///< for def_fn and item_fn
  ir::Type type;
  Value value;  ///< for params (unknown when unset)
  std::shared_ptr<const ir::DatedValues> dated = {};  ///< for params with values by date
};

/// The pack's names, as seen from the expression being checked.
class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::optional<Binding> resolve(std::string_view name) = 0;
  /// The subject's shape, or nullptr when the pack declares none (any input name is accepted).
  virtual const ir::Shape* subject() const = 0;
  /// Every name visible, for "did you mean" suggestions.
  virtual std::vector<std::string> names() const = 0;
};

/// A parameter bound in slot order before the expression starts (def and item parameters).
struct Local {
  std::string name;
  ir::Type type;
};

struct Checked {
  ir::ExprPtr expr;
  int frame_size = 0;  ///< slots the evaluator must provide
};

/// Errors are appended to `errors` with the file:line:col of the offending character;
/// nullopt when there were any.
std::optional<Checked> check(const expr::Source& source, Environment& env, const std::vector<Local>& locals,
                             std::vector<Error>& errors, const expr::Limits& limits = {});

}  // namespace rulebook::check
