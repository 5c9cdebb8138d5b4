#pragma once
// Spreadsheets as offices keep them: xlsx (and CSV) sheets read through a mapping, one row per
// transaction grouped into applications by an id column, and results written back as xlsx.
//
//   rulebook::OpenedInput in = rulebook::open_sheet("applications.xlsx", {.mapping = "map.yaml"});
//   rulebook::ResultSheet out("results.xlsx", pack, in.columns, "zh");
//   rulebook::run_batch(pack, *in.source, {.eval = {.as_of = day}, .on_record = [&](auto& r) { out.add(r); }},
//   nullptr); out.close(errors);
//
// A library of its own (rulebook_sheet), as the ledger is: an embedder links the engine without
// zip, XML or xlsx writers, and this header is not installed with the engine's.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/batch.hpp"

namespace rulebook {
namespace detail {
struct XlsxResults;
}

/// One cell as the workbook stores it.
struct SheetCell {
  enum class Kind { empty, text, number, boolean, date, error };
  Kind kind = Kind::empty;
  /// text; number: the decimal digits Excel stored ("3000000", "0.05", "1.5E-7") to the 15
  /// significant digits Excel shows (excel_digits: 59.999999999999993 is "60"), never via a
  /// double; boolean "true"/"false"; date (a number in a date-formatted cell) YYYY-MM-DD; error "#N/A".
  std::string text;
};

struct SheetRow {
  std::uint32_t number = 0;  ///< 1-based, as the sheet shows it
  /// Non-empty cells by 0-based column (A is 0), ascending. Sparse, so that a cell at XFD
  /// costs one entry, not sixteen thousand.
  std::vector<std::pair<std::uint32_t, SheetCell>> cells;
  /// What of the row could not be read, by column: a malformed CSV record (column `whole`; its
  /// `cells` are those read before the fault), or an xlsx cell the reader will not take as a value
  /// (a number shown with 万 or as a percentage, a formula without its value), left out of `cells`.
  /// Its application is then invalid, not the sheet; a column that is not read is not.
  std::vector<std::pair<std::uint32_t, Error>> refused;
  static constexpr std::uint32_t whole = std::uint32_t(-1);
  /// The cell in `column`, or null when it is empty.
  const SheetCell* at(std::uint32_t column) const;
};

/// A worksheet's non-empty rows in order.
struct Sheet {
  std::string file, name;  ///< the workbook ("applications.xlsx") and the worksheet ("Sheet1")
  std::vector<SheetRow> rows;
};

/// Limits on what a workbook may make the reader hold: zip bombs and huge grids are refused.
struct SheetLimits {
  std::uint64_t max_uncompressed = 64ull << 20;  ///< bytes over all parts read
  std::uint32_t max_columns = 16384;             ///< Excel's XFD
  std::uint32_t max_rows = 1048576;              ///< Excel's last row
};

/// Reads one worksheet of an xlsx file: the one called `name`, or the first when empty.
/// Never throws; a file that is not a workbook, or breaks a limit, gives errors and nullopt.
std::optional<Sheet> read_xlsx(const std::string& file, const std::string& name, std::vector<Error>& errors,
                               const SheetLimits& limits = {});

/// "C7" for column index 2 (0-based) and row 7.
std::string cell_ref(std::size_t column, std::uint32_t row);

/// True for a path ending in .xlsx (any case).
bool is_xlsx(const std::string& path);
/// True for a path ending in .csv (any case).
bool is_csv(const std::string& path);

struct SheetOptions {
  std::string mapping;     ///< the YAML mapping: columns, ignore, and group_by for one row per transaction
  std::string sheet = {};  ///< the worksheet's name; empty: the mapping's `sheet:`, else the first
  SheetLimits limits = {};
  bool xlsx = false;  ///< read as xlsx whatever the file's name (else: by its .xlsx ending, CSV otherwise)
  /// The pack whose subject schema says what each column's field is (template_column): an
  /// application's cells are then shown beside its results (BatchInput::shown) as a reviewer
  /// reads them, a choice by its label and a boolean as 是/否, in `lang`. Null: as written.
  const CompiledPack* pack = nullptr;
  std::string lang = "zh";  ///< of BatchInput::shown, and of the hint beside a list's empty cell
  /// Set by open_template_sheet (with `pack`), its name in English and Chinese ("the sheet
  /// template of dongsheng-2024"): a choice may be written as its label, a list's items in one
  /// cell (TemplateColumn::list), and a sheet headed otherwise is told to head its columns as the
  /// template does, there being no mapping to edit. Empty: a sheet read through its mapping.
  std::string template_name = {}, template_name_zh = {};
};

/// True when the mapping file groups rows (`group_by:`), which the streaming CSV reader of
/// open_input cannot do; false also when the file cannot be read (open_sheet then says why).
bool mapping_groups_rows(const std::string& mapping);

/// Opens an xlsx or CSV sheet with a mapping. With `group_by: COLUMN` rows are grouped into one
/// input per application; list paths `transactions[].id` add one element per row. A malformed
/// group (rows apart, a repeated transaction, application cells that disagree) becomes one
/// input whose errors say why, so it is reported once and never evaluated in parts.
OpenedInput open_sheet(const std::string& path, const SheetOptions& options);

/// A field as a sheet's cell holds it: a column of a pack's sheet template, or of a mapping when
/// the pack is known. Read from the subject schema at the column's path, so that a choice's
/// labels and a list's form are declared once, there.
struct TemplateColumn {
  std::string path;                  ///< the document path (`transactions[].contract.amount`)
  std::string header_zh, header_en;  ///< the field's label (the path when it has none)
  /// The mapping's cell type (string, number, boolean or date); of each item for a list.
  std::string type;
  /// An array of text (`inventor.awards`): its items in one cell, separated by 、 ， , ； ; or line
  /// breaks, each read as a choice is; 无 (or none) is the empty list, and an empty cell, as
  /// everywhere, is missing data: not stated, never "none".
  bool list = false;
  std::vector<std::string> values;             ///< an enum's values, in order; empty: any text
  std::map<std::string, std::string> choices;  ///< a choice's label (zh and en) → its value
  std::map<std::string, Text> labels;          ///< a choice's value → its labels (x-enum-labels)
  const std::string& header(std::string_view lang) const;
  /// A choice as a reviewer reads it: its label in `lang`, else the value itself.
  std::string shown(const std::string& value, std::string_view lang) const;
};
/// The field at `path` (dotted, `[]` stepping into a list) of the pack's subject schema, as a
/// column reads it; a field the schema lacks is text headed by its path.
TemplateColumn template_column(const CompiledPack& pack, const std::string& path);
/// The pack's sheet template, from its subject schema's `x-sheet: {columns: [paths], group_by: path}`.
struct SheetTemplate {
  std::vector<TemplateColumn> columns;
  std::string group_by;  ///< the path whose column groups rows into applications, or empty
};
/// nullopt when the pack's subject schema has no `x-sheet`.
std::optional<SheetTemplate> sheet_template(const CompiledPack& pack);
/// The mapping (YAML) that reads the template headed in `lang` ("zh" or "en").
std::string template_mapping(const SheetTemplate& t, std::string_view lang);
/// The empty template as the desk offers it: a CSV header row of labels, with a byte-order mark.
std::string template_csv(const SheetTemplate& t, std::string_view lang);
/// Opens a sheet laid out as the pack's template, with no mapping file: headed in Chinese or
/// English, choices written as values or as their labels. Errors as open_sheet's, or that the
/// pack has no template (naming `shown_as`, else `path`). The desk and `rulebook batch` both read
/// templates through here.
OpenedInput open_template_sheet(const std::string& path, const CompiledPack& pack, SheetOptions options,
                                const std::string& shown_as = {});

/// Results written as an xlsx workbook: one row per input beside its application columns
/// (verdict, each rule's outcome, outputs in yuan as numbers in 元, reasons), and a second sheet
/// listing the inputs that could not be evaluated. Not thread-safe: add() from one thread.
class ResultSheet {
 public:
  /// `columns`: the input's application columns (OpenedInput::columns); lang "zh" or "en".
  /// Outputs are headed by their titles; those whose unit is yuan are written as amounts in 元.
  ResultSheet(const std::string& file, const CompiledPack& pack, std::vector<std::string> columns, std::string lang);
  ~ResultSheet();
  ResultSheet(const ResultSheet&) = delete;
  ResultSheet& operator=(const ResultSheet&) = delete;

  /// False, with the error, when no workbook can be written because the xlsx module is
  /// missing: known before any record is added.
  bool ready(std::vector<Error>& errors) const;
  void add(const BatchRecord& record);
  /// Writes the file; false with an error when it cannot.
  bool close(std::vector<Error>& errors);

 private:
  std::string file_;
  detail::XlsxResults* s_ = nullptr;  ///< in the xlsx module (xlsx.hpp); null when it is missing
};

}  // namespace rulebook
