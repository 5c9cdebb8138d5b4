#pragma once
// The xlsx module (librulebook_xlsx.so): workbooks read through minizip and pugixml, written
// through libxlsxwriter, which bring zlib and OpenSSL's libcrypto. Loaded when a workbook is
// first read or written (xlsx_loader.cpp), so that `rulebook check` does not load them at every
// start. The module calls the engine of the program that loads it, which exports its symbols.

#include "sheet/sheet.hpp"

namespace rulebook::detail {

struct XlsxResults;  ///< a results workbook being written (xlsx_writer.cpp)

/// What the module does, as read_xlsx and ResultSheet promise (sheet.hpp).
struct XlsxModule {
  std::optional<Sheet> (*read)(const std::string& file, const std::string& name, std::vector<Error>& errors,
                               const SheetLimits& limits);
  XlsxResults* (*open_results)(const std::string& file, const CompiledPack& pack, std::vector<std::string> columns,
                               std::string lang);
  void (*add_result)(XlsxResults& out, const BatchRecord& record);
  bool (*close_results)(XlsxResults& out, std::vector<Error>& errors);
  void (*free_results)(XlsxResults* out);
};

// The module's side (xlsx_reader.cpp, xlsx_writer.cpp), gathered by xlsx_module.cpp.
std::optional<Sheet> read_workbook(const std::string& file, const std::string& name, std::vector<Error>& errors,
                                   const SheetLimits& limits);
XlsxResults* open_results(const std::string& file, const CompiledPack& pack, std::vector<std::string> columns,
                          std::string lang);
void add_result(XlsxResults& out, const BatchRecord& record);
bool close_results(XlsxResults& out, std::vector<Error>& errors);
void free_results(XlsxResults* out);

}  // namespace rulebook::detail
