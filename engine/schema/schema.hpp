#pragma once
// The subject's JSON Schema: it validates input documents before any rule runs, and gives
// the checker the names and types of the input's fields.
//
// The subset of JSON Schema (2020-12) rulebook reads: type (incl. integer and unions with
// null), properties, required, additionalProperties, items, enum, const, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength, pattern, minItems,
// maxItems, uniqueItems, minProperties, maxProperties, dependentRequired, propertyNames, allOf, anyOf, oneOf,
// not, if/then/else, format (date, credit-code; others are annotations, as the standard says),
// and $ref to "#/…" and to another schema file ("enterprise.schema.json#/$defs/x") beside it.
// A schema that uses any other assertion keyword, or puts one beside a $ref, is refused at
// load: ignored, it would let pass a document its author meant to refuse. A null value is the
// same as an absent field: it is unknown to the rules, and never a schema error.

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "check/ir.hpp"
#include "rulebook/error.hpp"
#include "rulebook/value.hpp"
#include "schema/pattern.hpp"
#include "schema/read_set.hpp"

namespace rulebook::schema {

/// Immutable once loaded; validate() may run on many threads.
class Schema {
 public:
  /// Loads `file` and every file its $refs name; errors are appended.
  static std::shared_ptr<const Schema> load(const std::filesystem::path& file, std::vector<Error>& errors);

  /// The violations, each with the JSON path of the value and what was expected: the first
  /// max_errors, then one more error at "$" saying that more were found (a spreadsheet pasted
  /// in the wrong place must not make millions of lines, nor take minutes to make them).
  std::vector<Error> validate(const Value& document) const;
  static constexpr std::size_t max_errors = 100;

  /// Names and types of the fields, for the checker.
  std::unique_ptr<ir::Shape> shape() const;

  /// Every part of a document that validate() looks at.
  const ReadSet& reads() const { return reads_; }

  struct Rule;  // one schema object's keywords, compiled at load

  /// Validation by a reader that walks a document once, in order, without building its lists
  /// and objects (batch's FastReader): the rules in force at each value, and whether the value
  /// passes them. A document passes every call of its walk if and only if validate() finds no
  /// violation in it, except that a list or object under anyOf/oneOf (or another keyword that
  /// needs it whole: container_passes) never passes here, as
  /// its alternatives need it whole (such a document goes to validate()). Only validate()
  /// words the errors.
  struct InForce {
    const Rule* rule;
    int depth;  // as validate() counts it: it stops checking a deep or cyclic schema 64 levels down
  };
  using Rules = std::vector<InForce>;
  /// The rules at the document's root.
  void root_rules(Rules& out) const;
  /// Adds the rules in force at member `key` of an object under `at`; false when `at` forbids
  /// that member (additionalProperties: false).
  bool member_rules(const Rules& at, std::string_view key, Rules& out) const;
  /// Adds the rules in force at each element of a list under `at`.
  void item_rules(const Rules& at, Rules& out) const;
  /// What `at`'s own keywords ask of an object: an object passes them when they allow one
  /// and it has every member required (null ones count); its members are judged on their own.
  struct ObjectKeywords {
    bool allows = true;
    std::vector<std::string_view> required;  ///< each once, into the schema's own text
  };
  ObjectKeywords object_keywords(const Rules& at) const;
  /// Whether a list of `size` elements passes `at`'s own keywords.
  bool list_passes(const Rules& at, std::size_t size) const;
  /// Whether a string, date, number, boolean or null passes `at`.
  bool scalar_passes(const Rules& at, const Value& v) const;
  /// scalar_passes() compiled for the values at one place, which the reader judges by the
  /// thousand: when the rules in force there use only type, enum, minimum, maximum and the date
  /// format (most places), a value is judged by those alone; else by scalar_passes().
  class ScalarCheck {
   public:
    bool passes(const Value& v) const;

   private:
    friend class Schema;
    const Schema* schema_ = nullptr;
    Rules at_;  // for scalar_passes(), when general_
    bool general_ = true;
    unsigned kinds_ = 0;                       // bit 1 << Kind: the kinds the types in force allow
    bool dated_ = false;                       // a string must be a date (format: date)
    std::vector<const Rule*> enums_, bounds_;  // the rules with an enum, with a minimum or maximum
  };
  ScalarCheck scalar_check(const Rules& at) const;

  /// What a reviewer calls the value at a JSON path, from the schema's `x-label: {zh, en}`, with
  /// the elements it lies in from `x-item` ("第{n}笔交易", "{key}年"):
  /// $.transactions[2].transformation.succeeded → 转化是否成功（第3笔交易）. nullopt without a label.
  std::optional<std::string> label(std::string_view json_path, std::string_view lang) const;

  /// The subject schema's own file, for the annotations at its root (x-applicant, x-sheet).
  const nlohmann::json& root() const { return files_.at(root_); }

  /// The schema of the field at a dotted document path (`transactions[].contract.amount`, `[]`
  /// stepping into a list's items), $refs followed; null when the schema has no such field.
  const nlohmann::json* field(std::string_view path) const {
    Node at = resolve({&root(), &root_});
    while (at.json && !path.empty()) {
      std::size_t dot = std::min(path.find('.'), path.size());
      std::string step(path.substr(0, dot));
      path.remove_prefix(std::min(dot + 1, path.size()));
      bool listed = step.ends_with("[]");
      if (listed) step.resize(step.size() - 2);
      auto props = at.json->is_object() ? at.json->find("properties") : at.json->end();
      if (props == at.json->end() || !props->is_object() || !props->contains(step)) return nullptr;
      at = resolve({&props->at(step), at.file});
      if (!listed) continue;
      if (!at.json || !at.json->is_object() || !at.json->contains("items")) return nullptr;
      at = resolve({&at.json->at("items"), at.file});
    }
    return at.json;
  }

 private:
  struct Node {
    const nlohmann::json* json;
    const std::filesystem::path* file;
  };
  Node resolve(Node n, int depth = 0) const;
  struct Where;
  struct Seen;
  const Rule* compile(Node root);
  const Rule* rule_for(Node n, std::vector<std::pair<Node, Rule*>>& todo);
  void compile(Node n, Rule& r, std::vector<std::pair<Node, Rule*>>& todo);
  /// Reports in `out` what `rule` finds wrong with `v`; `seen` (null for a scalar) remembers
  /// the rules already applied to lists and objects in this validate() call.
  void check(const Rule& rule, const Value& v, const Where& where, std::vector<Error>& out, int depth,
             Seen* seen) const;
  /// How `v` fares under `rule` on trial (an anyOf, oneOf, not or if part): unknowable when the
  /// trial reaches past the levels validation follows, which must be said, never read as a fail.
  enum class Trial { fails, passes, unknowable };
  Trial judge(const Rule& rule, const Value& v, const Where& where, int depth, Seen* seen) const;
  /// The file `node` is in, and where, as "file.json#/json/pointer", for a message about it.
  std::pair<std::string, std::string> place_of(const nlohmann::json* node) const;
  /// An error for the first compiled rule that applies too many others to one value.
  void refuse_blowups(std::vector<Error>& errors) const;
  /// An error for each keyword compiled that rulebook does not check (`unchecked_`).
  void refuse_unchecked(std::vector<Error>& errors) const;

  // The walk of shape_of and reads_of. `within`: the schema objects being expanded, outermost
  // first. One that is within itself (a recursive schema) stops there, or a tree of two
  // recursive branches would expand to 2^64 nodes: its shape is any type, and it is read whole.
  // `places` counts the schema objects expanded: load() refuses a schema that reuses parts so
  // often (twice at each of 17 levels) that it passes max_places.
  struct Expansion {
    std::vector<const nlohmann::json*> within;
    std::size_t places = 0;
  };
  static constexpr std::size_t max_places = 100'000;
  std::unique_ptr<ir::Shape> shape_of(Node n, Expansion& e) const;
  void reads_of(Node n, ReadSet& into, Expansion& e) const;

  std::map<std::filesystem::path, nlohmann::json> files_;  // INVARIANT: never modified after load
  std::filesystem::path root_;
  ReadSet reads_;  // found at load, where their count is bounded
  // The file each (file, $ref's file part) names, canonical: found once at load, as finding it
  // asks the file system for every folder on the way.
  std::map<std::pair<std::filesystem::path, std::string>, std::filesystem::path> ref_files_;
  // The schema object each (file, $anchor or $dynamicAnchor) names, for a $ref "…#name".
  std::map<std::pair<std::filesystem::path, std::string>, const nlohmann::json*> anchors_;
  std::map<std::string, Pattern> patterns_;     // compiled at load, for every pattern
  std::deque<Rule> rules_;                      // stable addresses: rules point at each other
  std::map<const nlohmann::json*, const Rule*> compiled_;
  const Rule* root_rule_ = nullptr;
  bool has_parts_ = false;  // some schema object has allOf, anyOf, oneOf, not or if
  // Assertions met in compiling that rulebook cannot check (a keyword it does not have, a value
  // of the wrong form): where, and why in English and Chinese.
  struct Unchecked {
    const nlohmann::json* node;
    std::string why, why_zh;
  };
  std::vector<Unchecked> unchecked_;
};

}  // namespace rulebook::schema
