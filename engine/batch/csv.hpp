#pragma once
// CSV read strictly as RFC 4180 writes it, the mapping that ties its columns to document paths,
// and text cells turned into JSON by the mapped type: one tokenizer, one mapping reader and one
// conversion for batch's streaming rows (inputs.cpp) and for sheets (sheet_input.cpp).

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/date.hpp"
#include "rulebook/error.hpp"

namespace rulebook::detail {

constexpr std::size_t no_index = std::size_t(-1);

/// The most steps a column's path has: as deep as a document nests by default (deeper ones
/// would be refused when read). Comparing paths and writing rows take time and stack by it.
constexpr std::size_t max_path_steps = 256;

/// A column of a mapping file.
struct MappedColumn {
  std::string header;
  std::vector<std::string> path;  ///< steps: a member, "[2]" an index, "[]" the row's own list element
  std::string type = "string";    ///< string, number, boolean or date
  std::size_t each = no_index;    ///< where "[]" is in `path`
  bool ignored() const { return path.empty(); }
  bool per_row() const { return each != no_index; }
};

/// A mapping file: `columns:` (header: path, or {path, type}), `ignore:` [headers], and for
/// sheets `group_by:` (rows of one application) and `sheet:` (the worksheet).
struct CsvMapping {
  std::vector<MappedColumn> columns;  ///< mapped ones first, then the ignored
  std::string group_by, sheet;
  std::vector<std::string> list;  ///< the steps before "[]": the list a row adds an element to
  std::size_t key = no_index;     ///< the column holding the element's id (`list[].id`), for repeats
};

/// Reads a mapping; each mistake is an error at its line:col. A header named twice (under
/// columns: or ignore:) and two columns writing one document path (or one inside the other) are
/// errors: one of them would be lost without a word.
CsvMapping read_mapping(const std::string& file, std::vector<Error>& errors);

/// "1.5E+6" → "1500000", "-0.050" → "-0.050", "+7" → "7": the digits of a stored number without
/// an exponent, moved by string shifting so no digit is lost (nor the scale written); nullopt
/// when `s` is not a number.
std::optional<std::string> plain_decimal(std::string_view s);

/// A date written as text: 2024-05-20, 2024/5/20, 2024.5.20 or 2024年5月20日.
std::optional<Date> text_date(std::string_view s);

/// A text cell as JSON of the mapped type (string, number, boolean, date); false with what was
/// expected in `why` (and in Chinese in `why_zh`, when given). Numbers may group thousands with
/// commas ("3,000,000.00"), and only so: "1,5" is refused, never read as 15 or 1.5.
bool text_cell_json(std::string_view type, std::string_view text, std::string& json, std::string& why,
                    std::string* why_zh = nullptr);

/// CSV records one at a time, under a byte limit per record. Strict RFC 4180: a quote opens a
/// cell or does not appear (`ab"c` is an error), nothing but a comma or a line break follows a
/// closing quote (`"ab"c`), and a quote never closed is an error at the line it opened on, not a
/// cell swallowing the rest of the file in silence. A record with an error is read to the end of
/// its line; reading goes on with the next. A spreadsheet's BOM is dropped; rows of blank cells
/// are skipped. The first record read is the header: errors name columns by it, and a record of
/// another width is an error (its cells kept whole), for batch's rows and sheets alike.
class CsvReader {
 public:
  struct Row {
    std::size_t line = 0;            ///< where the record starts (1-based)
    std::vector<std::string> cells;  ///< as written, quotes undone
    std::optional<Error> error;      ///< a malformed record (its cells are then partial)
  };

  CsvReader(std::istream& in, std::string file, std::size_t max_record_bytes);
  /// The next record; false at the end of the input.
  bool next(Row& row);
  std::uint64_t bytes_read() const { return read_; }
  /// "column '合同金额'" for a cell index (0-based) once the header is read; else "column 7".
  std::string column_name(std::size_t index) const;
  /// The same in Chinese: "「合同金额」列", else "第7列".
  std::string column_name_zh(std::size_t index) const;

 private:
  bool record(Row& row);
  std::istream& in_;
  std::string file_;
  std::size_t limit_;
  std::uint64_t read_ = 0;
  std::size_t line_ = 1;
  std::vector<std::string> header_;
  bool first_ = true;
};

}  // namespace rulebook::detail
