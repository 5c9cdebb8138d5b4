// Fuzzes the xlsx workbooks the review desk and `batch` take: the input is the XML parts of a
// workbook, separated by a line "@@" (workbook.xml, its relationships, sharedStrings.xml,
// styles.xml, worksheets/sheet1.xml; fewer parts leave the rest out), zipped as they are (a zip's
// own bytes would stop a mutation at its checksums) and read by open_sheet with the grouped
// mapping of the tests, as an upload is, then decided against the DS pack. Every cell read and
// every JSON line written must be valid UTF-8 (pugixml does not check the bytes of the XML).

#include <zip.h>

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "amplify.hpp"
#include "scratch.hpp"
#include "sheet/sheet.hpp"
#include "value/utf8.hpp"

namespace {

// The parts, stored without compression, in a zip at `path`.
void write_workbook(const std::string& path, std::string_view in) {
  static const char* const names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                                      "xl/styles.xml", "xl/worksheets/sheet1.xml"};
  zipFile zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (!zip) std::abort();
  for (const char* name : names) {
    const std::size_t end = std::min(in.find("\n@@\n"), in.size());
    zip_fileinfo info{};
    if (zipOpenNewFileInZip64(zip, name, &info, nullptr, 0, nullptr, 0, nullptr, 0, 0, 0) != ZIP_OK ||
        zipWriteInFileInZip(zip, in.data(), unsigned(end)) != ZIP_OK || zipCloseFileInZip(zip) != ZIP_OK)
      std::abort();
    if (end == in.size()) break;
    in.remove_prefix(end + 4);
  }
  if (zipClose(zip, nullptr) != ZIP_OK) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rulebook;
  static const std::string source = RULEBOOK_SOURCE_DIR;
  static const CompiledPack pack = *load_pack(source + "/rules/dongsheng-2024").pack;
  static const fuzz::Scratch scratch("xlsx");
  const std::string file = (scratch.root() / "upload.xlsx").string();
  write_workbook(file, fuzz::amplify({reinterpret_cast<const char*>(data), size}));

  std::vector<Error> errors;
  if (auto sheet = read_xlsx(file, "", errors)) {
    if (!valid_utf8(sheet->name)) std::abort();
    std::uint32_t last_row = 0;
    for (const auto& row : sheet->rows) {
      if (row.number <= last_row) std::abort();  // rows in order, each once
      last_row = row.number;
      for (const auto& [column, cell] : row.cells)
        if (!valid_utf8(cell.text)) std::abort();
    }
  }
  for (const auto& e : errors) (void)e.to_string();

  OpenedInput in = open_sheet(file, {.mapping = source + "/tests/data/sheets/grouped.mapping.yaml"});
  for (const auto& e : in.errors) (void)e.to_string();
  if (!in.source) return 0;
  std::ostringstream out;
  BatchOptions options{.eval = {.as_of = *Date::parse("2025-06-30"), .trace = false, .max_steps = 200000},
                       .jobs = 1,
                       .format = BatchFormat::jsonl};
  (void)run_batch(pack, *in.source, options, &out);
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);)
    if (!nlohmann::json::accept(line)) std::abort();  // a line that is not JSON (or not UTF-8)
  return 0;
}
