#pragma once
// Many documents at once: read JSON Lines, a folder of JSON files or a CSV sheet, evaluate
// on several threads, write one decision per input in input order, and sum up.
//
//   auto in = rulebook::open_input("applications.jsonl");
//   rulebook::Summary s = rulebook::run_batch(pack, *in.source, {.eval = {.as_of = day}}, &std::cout);
//
// Memory stays flat: inputs are read, evaluated and written in chunks, never held whole.

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/engine.hpp"

namespace rulebook {

/// One input: the text of a JSON document and where it came from.
struct BatchInput {
  std::string source;         ///< the file, "-" for standard input
  std::size_t line = 0;       ///< 1-based line in a JSON Lines or CSV file; 0 for a whole file
  std::string text;           ///< the JSON document
  std::vector<Error> errors;  ///< set when the input could not even be turned into JSON (a bad CSV cell)
  std::string id;             ///< a sheet's application id, named by error records of inputs that never became JSON
  std::vector<std::string> shown;  ///< a sheet's application cells (OpenedInput::columns), written beside results
  /// JSON path → the cell it came from ("Sheet1!J5 成功转化"), so reasons name cells, not paths.
  std::vector<std::pair<std::string, std::string>> cells;
};

/// Lines of JSON Lines text read at once (InputSource::next_lines), turned into inputs by whoever
/// evaluates them: run_batch's workers take turns only at filling one, and each splits its own.
/// A source fills it after reset(), appending to `text`, `lines` and `too_long` together; next()
/// then gives its inputs. One thread at a time.
struct LineBlock {
  std::string source;                 ///< the file, "-" for standard input
  std::size_t limit = 0;              ///< a document's most bytes (InputLimits::max_bytes), for a line read past
  std::size_t lines = 0;              ///< in `text`, blank ones included
  std::string text;                   ///< the lines, each ended by '\n'; a line read past stands empty
  std::vector<std::size_t> too_long;  ///< the numbers of the lines read past, in order

  /// Empties the block for the lines of `source_name` from line number `first` on.
  void reset(std::string_view source_name, std::size_t first, std::size_t document_limit);
  /// The next line's input, written over `input` (its text's memory kept; the last line's text
  /// is moved there); blank lines are skipped. False when no line is left.
  bool next(BatchInput& input);

 private:
  std::size_t at_ = 0, line_ = 0, long_at_ = 0;  // where next() is: in text, its line, in too_long
};

/// Where the inputs come from, in order.
class InputSource {
 public:
  virtual ~InputSource() = default;
  /// The next input, or false at the end. With more than one job, run_batch's workers call it,
  /// one at a time: a source needs no lock, but must not be tied to one thread.
  virtual bool next(BatchInput& input) = 0;
  /// When lines of JSON Lines text come next, reads whole lines into `block`, `lines` of them or
  /// until its text reaches `bytes` (one line may pass it), and says true: run_batch's workers
  /// then take turns at no more than this copy, each splitting its own block. False when no such
  /// line comes next (at the end of the input or of one of its parts) and by default: next()
  /// then reads on.
  virtual bool next_lines(LineBlock& block, std::size_t lines, std::size_t bytes) {
    (void)block, (void)lines, (void)bytes;
    return false;
  }
  /// Bytes read so far and in all (0 when unknown: a pipe), for progress and its ETA.
  virtual std::uint64_t bytes_read() const = 0;
  virtual std::uint64_t bytes_total() const = 0;
};

struct OpenedInput {
  std::unique_ptr<InputSource> source;
  std::vector<Error> errors;
  std::vector<std::string> columns;  ///< a sheet's application columns: the headers of BatchInput::shown
  /// Entries of input folders not read (a .JSON, a dangling link), each naming its path (loc.file)
  /// and why, in both languages.
  std::vector<Error> skipped;
};

/// Opens several inputs read one after the other: a *.json file (one document, pretty-printed
/// or not), a JSON Lines file (any other name; "-" is standard input), a folder (its *.json
/// files by name, each one document, and *.jsonl and *.ndjson files as JSON Lines; what else it
/// holds is listed in `skipped`), or a CSV file when `csv_mapping` names the mapping file that
/// says which column is which field (strict RFC 4180: a stray or unclosed quote is an error).
/// Every document is read under `limits.max_bytes` as it is read (a longer line is an error
/// record, not kept); devices such as /dev/zero are refused.
OpenedInput open_input(const std::vector<std::string>& paths, const std::string& csv_mapping = {},
                       const InputLimits& limits = {});

/// Per rule, how many documents got each outcome and the sums of its numeric outputs (the
/// count of true for boolean outputs). Exact: sums are decimals. Mergeable, so that a corpus
/// split over machines sums to the same totals as one run.
class Summary {
 public:
  struct OutputTotal {
    bool boolean = false;  ///< a boolean output counts its true values in `sum`
    Decimal sum;
    std::uint64_t known = 0;    ///< documents where the output had a value
    std::uint64_t unknown = 0;  ///< documents where it could not be computed
    bool overflow = false;      ///< the sum passed what a decimal holds: there is no total to give
    bool untyped =
        false;  ///< the pack does not type it (`if c then d else null`): listed once a number or boolean is seen
  };
  struct RuleTotal {
    std::string id;
    std::array<std::uint64_t, 5> outcomes{};  ///< indexed by Outcome
    std::vector<std::pair<std::string, OutputTotal>> outputs;
  };

  Summary() = default;
  /// An empty summary for `pack` on `as_of`: its rules, and the outputs that total (those the
  /// pack computes as numbers or booleans, and those it does not type), in the pack's order.
  Summary(const CompiledPack& pack, std::string as_of);

  void add(const Decision& d);
  /// An input that could not be evaluated (malformed JSON, schema violation).
  void add_invalid() { ++records_, ++invalid_; }
  /// Adds another summary of the same pack, version, content hash (when both carry one),
  /// as-of date and rules; false (and nothing changed, `why` saying so in both languages) when
  /// they differ or when a count would pass 2^64.
  bool merge(const Summary& other, Error& why);
  /// The same, `why` in English only.
  bool merge(const Summary& other, std::string& why);
  /// The content hash of the pack's files (ledger::pack_hash), written with the pack's id.
  void set_pack_hash(std::string hash) { hash_ = std::move(hash); }

  /// "RULE.OUTPUT" of the first sum that overflowed (see OutputTotal::overflow); empty when none did.
  /// A summary with one is no answer: print the reason instead.
  std::string overflowed() const;

  std::uint64_t records() const { return records_; }
  std::uint64_t invalid() const { return invalid_; }
  const std::array<std::uint64_t, 5>& outcomes() const { return outcomes_; }
  const std::vector<RuleTotal>& rules() const { return rules_; }

  /// The JSON form, documented by schemas/summary.schema.json; merge reads it back.
  std::string to_json() const;
  static std::optional<Summary> from_json(std::string_view text, const std::string& name, std::vector<Error>& errors);
  /// A table for people; lang "zh" or "en".
  std::string to_text(std::string_view lang = "zh") const;

 private:
  RuleTotal& rule(const std::string& id);
  std::string pack_, version_, hash_, as_of_;
  std::uint64_t records_ = 0, invalid_ = 0;
  std::array<std::uint64_t, 5> outcomes_{};
  std::vector<RuleTotal> rules_;
};

enum class BatchFormat { none, jsonl, csv };

/// One answered input, for writers that are not a stream of text (an xlsx workbook).
struct BatchRecord {
  const BatchInput& input;  ///< its text already released
  const std::string& id;
  const Decision* decision;          ///< null when the input could not be evaluated
  const std::vector<Error>& errors;  ///< why it could not
};

struct BatchOptions {
  EvalOptions eval{.trace = false};  ///< set eval.as_of: the review date is required
  InputLimits limits = {};
  unsigned jobs = 0;  ///< threads evaluating; 0: one per core
  BatchFormat format = BatchFormat::jsonl;
  /// Read documents with the simdjson On-Demand reader, extracting only what the pack reads.
  /// Decisions are identical with either reader; false uses Document::parse.
  bool fast_reader = true;
  /// A co-process (rulebook check --stream): each input is read, evaluated, and its line written
  /// and flushed before the next is read, on the calling thread (`jobs` is then ignored).
  bool interactive = false;
  /// Called now and then from the thread that called run_batch with the inputs done so far,
  /// while no worker reads the input: it may ask the InputSource how far it has read.
  std::function<void(std::uint64_t records)> progress = {};
  /// Called with every input's answer, in input order, from the thread that called run_batch.
  std::function<void(const BatchRecord&)> on_record = {};
  /// Measure what each phase costs (BatchResult::phases): a clock read around each, per record.
  bool profile = false;
};

/// Where batch's time goes, summed over every thread (BatchOptions::profile): nanoseconds spent
/// taking inputs from their source, reading each into a document, validating it against the
/// subject schema, evaluating it, and writing its line and adding it to the summary.
struct PhaseCost {
  std::uint64_t input = 0, read = 0, validate = 0, evaluate = 0, write = 0;
  std::uint64_t records = 0;
  void add(const PhaseCost& o) {
    input += o.input, read += o.read, validate += o.validate, evaluate += o.evaluate, write += o.write;
    records += o.records;
  }
};

struct BatchResult {
  Summary summary;
  bool any_invalid = false;                 ///< some input was malformed or broke the schema
  Outcome worst = Outcome::not_applicable;  ///< outcome_of over every decision
  PhaseCost phases = {};                    ///< with BatchOptions::profile
};

/// Evaluates every input of `in` and writes one line per input to `out` (when not null) in
/// input order: JSON Lines (the decision with "line" and "id" first, or an error record with
/// "outcome": "invalid") or CSV (one row per input, one column per rule outcome and output).
BatchResult run_batch(const CompiledPack& pack, InputSource& in, const BatchOptions& options, std::ostream* out);

/// The CSV header run_batch writes first in BatchFormat::csv.
std::string csv_header(const CompiledPack& pack);

}  // namespace rulebook
