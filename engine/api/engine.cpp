// The public entry points: load (read, check, compile) and evaluate.

#include "rulebook/engine.hpp"

#include "compile/compiler.hpp"
#include "compile/pack_access.hpp"
#include "eval/evaluator.hpp"
#include "eval/typing.hpp"
#include "pack/pack.hpp"
#include "schema/schema.hpp"

namespace rulebook {

LoadResult load_pack(const std::filesystem::path& dir, const LoadOptions& options) {
  LoadResult result;
  try {
    auto read = pack::read_pack(dir, options.overlay, options.search_path);
    result.errors = std::move(read.errors);
    result.warnings = std::move(read.warnings);
    if (!read.pack) return result;
    auto program = detail::compile(*read.pack, options, result.errors, result.warnings);
    if (program && result.errors.empty()) result.pack = PackAccess::make(std::move(program));
  } catch (const std::exception& e) {  // a library below threw what it documents it may not: report, never crash
    Error err;
    err.code = Error::Code::io;
    err.message = std::string("cannot load the pack: ") + e.what();
    err.loc.file = dir.string();
    result.errors.push_back(std::move(err));
    result.pack.reset();
  }
  return result;
}

const PackInfo& CompiledPack::info() const { return detail::program(*this).info; }

namespace {

// The schema's errors in a document already typed as the schema types it (detail::typed).
std::vector<Error> schema_errors(const detail::Program& program, const Document& typed) {
  if (!program.schema) return {};
  auto errors = program.schema->validate(typed.root());
  for (auto& e : errors) e.loc.file = typed.name();
  return errors;
}

}  // namespace

std::vector<Error> CompiledPack::validate(const Document& doc) const {
  // As evaluate() reads it: a date-like string at a text place is text (batch's reader validates so too).
  const detail::Program& program = detail::program(*this);
  return program.schema ? schema_errors(program, detail::typed(doc, program.reads)) : std::vector<Error>{};
}

Decision CompiledPack::evaluate(const Document& doc, const EvalOptions& options) const {
  detail::require_as_of(options);  // before validating: a call without a review date is wrong whatever the input
  const detail::Program& program = detail::program(*this);
  Document typed = detail::typed(doc, program.reads);  // once, for the schema and the rules
  if (options.validate)
    if (auto problems = schema_errors(program, typed); !problems.empty()) throw InvalidInput(std::move(problems));
  return detail::Evaluator(program, options).run(typed);
}

std::vector<std::string> CompiledPack::read_paths() const { return detail::read_paths(detail::program(*this)); }

InvalidInput::InvalidInput(std::vector<Error> problems)
    : std::invalid_argument("rulebook: the document breaks the pack's subject schema: " +
                            (problems.empty() ? std::string() : problems[0].json_path + ": " + problems[0].message) +
                            (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : "")),
      errors(std::move(problems)) {}

}  // namespace rulebook
