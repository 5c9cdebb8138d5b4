#pragma once
// The library's entry points: load a rule pack once, evaluate many documents.
//
//   auto loaded = rulebook::load_pack("rules/dongsheng-2024");
//   if (!loaded.pack) for (auto& e : loaded.errors) std::cerr << e.to_string();
//   auto doc = rulebook::Document::parse(json_text, "application.json");
//   rulebook::Decision d = loaded.pack->evaluate(*doc.document, {.as_of = *rulebook::Date::parse("2025-06-30")});

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rulebook/date.hpp"
#include "rulebook/decision.hpp"
#include "rulebook/error.hpp"
#include "rulebook/value.hpp"

namespace rulebook {

struct DocumentResult;

/// Bounds on input documents, so that no upload can exhaust memory or the stack.
struct InputLimits {
  std::size_t max_bytes = 64u << 20;  ///< size of one JSON document
  std::size_t max_depth = 256;        ///< nesting of JSON arrays and objects
};

/// Submitted data: a JSON value whose numbers keep the digits written, whose
/// "YYYY-MM-DD" strings are dates, and whose members and elements know their JSON path.
/// Immutable; thread-safe to share.
class Document {
 public:
  /// Parses JSON text exactly (no binary floating point). Errors carry line:col.
  static DocumentResult parse(std::string_view json, std::string name = "-", const InputLimits& limits = {});

  const Value& root() const { return root_; }
  const std::string& name() const { return name_; }

  /// A document whose root object the caller built (for embedding and tests).
  static Document make(Value root, std::string name) { return Document(std::move(root), std::move(name)); }
  /// Its root and name, taken out of it: a reader builds the next document in their memory.
  std::pair<Value, std::string> release() && { return {std::exchange(root_, Value()), std::move(name_)}; }

 private:
  Document(Value root, std::string name) : root_(std::move(root)), name_(std::move(name)) {}
  Value root_;
  std::string name_;
};

struct DocumentResult {
  std::optional<Document> document;
  std::vector<Error> errors;
};

/// The text of one input document: `path` a regular file or a pipe ("-": standard input), read
/// under `limits.max_bytes` as it is read, so that /dev/zero or an endless pipe cannot exhaust
/// memory. A folder, a device, or more bytes than the limit give `error` instead. Never throws.
struct InputText {
  std::string text;
  std::optional<Error> error;
};
InputText read_input(const std::string& path, const InputLimits& limits = {});

struct EvalOptions {
  /// The date the decision is taken on, required: rules never read a clock, and evaluate()
  /// throws std::invalid_argument when it is left unset rather than decide on some default day.
  Date as_of = unset_date;
  /// What `as_of` holds until it is set (0000-12-31, a day no input can name).
  static constexpr Date unset_date = Date::from_days(-719163);
  bool trace = true;  ///< record the values that decided each rule
  /// Copy each rule's title, citation, note and condition messages into its decision. Totals
  /// (batch --summary) need only outcomes and outputs, and skip the copying.
  bool explain = true;
  std::uint64_t max_steps = 10'000'000;     ///< evaluation budget per rule; exceeding it is that rule's error
  std::size_t max_list_length = 1'000'000;  ///< longest list a rule may iterate; longer is that rule's error
  /// Bytes of strings and lists a rule may produce (a string doubled 40 times, a list of 10^8
  /// elements): more is that rule's error, before memory runs out. The data read is not counted.
  std::uint64_t max_value_bytes = 256u << 20;
  /// Check the document against the pack's subject schema first, and throw InvalidInput when
  /// it breaks it: rules assume the declared shape. Off only where validate() already ran.
  bool validate = true;
};

/// What evaluate() throws for a document that breaks the pack's subject schema.
class InvalidInput : public std::invalid_argument {
 public:
  explicit InvalidInput(std::vector<Error> problems);
  std::vector<Error> errors;  ///< every violation, each with its JSON path, as validate() gives them
};

/// Facts about a pack, from its pack.yaml.
struct PackInfo {
  std::string id, version;
  Text title;
  std::string document, seed, issuer, jurisdiction;
  Date effective_from, effective_to;
  std::vector<std::string> rule_ids;
  std::vector<std::vector<std::string>> rule_outputs;  ///< per rule, the names of its outputs
};

/// A loaded, checked and compiled rule pack. Immutable: evaluate() may be called from
/// many threads at once. Cheap to copy (shared).
class CompiledPack {
 public:
  const PackInfo& info() const;
  /// Checks the document against the pack's subject schema: every violation with its JSON
  /// path. Run it before evaluate(): rules assume input of the declared shape.
  std::vector<Error> validate(const Document& doc) const;
  /// The pack's decision on `doc` at `options.as_of`. Throws std::invalid_argument without a
  /// review date, InvalidInput for a document that breaks the subject schema (unless
  /// options.validate is off); a rule's own failure is that rule's `error` outcome, not a throw.
  Decision evaluate(const Document& doc, const EvalOptions& options) const;
  /// Where the rules read the document, as JSON-path patterns, each covering all below it:
  /// `$.statistics.years.2020.patent_applications`; `.*` any member, `[*]` any element (a key
  /// known only when a document is decided). A field no pattern covers changes no rule's outcome,
  /// though the subject schema still validates it (a form asks for the covered ones first).
  /// Computed on each call.
  std::vector<std::string> read_paths() const;

 private:
  struct Impl;  // the compiled program: opaque outside the library
  explicit CompiledPack(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  friend struct PackAccess;  // the library's own readers (reports, batch, diff, lint)
  std::shared_ptr<const Impl> impl_;
};

/// Rule files read from memory instead of disk, by path (the pack's folder / file name): a
/// drafter's edit tried before it is saved. A path not on disk adds a rule file.
using FileOverlay = std::map<std::filesystem::path, std::string>;

struct LoadOptions {
  std::size_t max_expression_length = 16 * 1024;  ///< bytes
  std::size_t max_expression_depth = 64;          ///< nesting of brackets and prefix operators
  FileOverlay overlay = {};                       ///< files whose text replaces what is on disk
  /// Published trees (each holding rules/ and schemas/, like an install's share/rulebook)
  /// searched, before RULEBOOK_PATH, for the schema, `common` and the data a pack names but
  /// does not hold: a pack copied out of its tree still loads.
  std::vector<std::filesystem::path> search_path = {};
};

/// All issues found while loading: a drafter fixes them in one pass.
struct LoadResult {
  std::optional<CompiledPack> pack;  ///< set when there are no errors
  std::vector<Error> errors;
  std::vector<Error> warnings;
};

/// Loads the pack in `dir` (pack.yaml and the rule files beside it). Never throws.
LoadResult load_pack(const std::filesystem::path& dir, const LoadOptions& options = {});

}  // namespace rulebook
