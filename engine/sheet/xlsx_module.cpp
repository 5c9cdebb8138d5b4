// The xlsx module's entry points (xlsx.hpp), found by name by the program that loads it.

#include "sheet/xlsx.hpp"

extern "C" __attribute__((visibility("default"))) const rulebook::detail::XlsxModule* rulebook_xlsx_module() {
  using namespace rulebook::detail;
  static constexpr XlsxModule module{read_workbook, open_results, add_result, close_results, free_results};
  return &module;
}

// The rulebook this module was built with: a module of another version is refused, as the two
// share C++ types that may have changed.
extern "C" __attribute__((visibility("default"))) const char* rulebook_xlsx_version() { return RULEBOOK_VERSION; }
