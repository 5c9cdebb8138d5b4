#pragma once
// rulebook's modules: libraries in lib/rulebook, installed with the program and loaded only when
// what they bring is needed (the PostgreSQL store, the HTTP service, xlsx workbooks), so that the
// libraries they link are not loaded at every start. Shared by the program and its tests, which
// find them through their RUNPATH (rulebook_finds_modules in engine/CMakeLists.txt).

#include <string>

namespace rulebook::modules {

/// A module's function, or why there is none.
struct Entry {
  void* address = nullptr;
  std::string why;  ///< when address is null
};

/// Function `entry` of module `file`, looked for the first time it is asked for and kept for the
/// process (never unloaded: what it made may outlive any handle); later calls, from any thread,
/// answer at once. The module is loaded from the folders of the program's RUNPATH, and its
/// function `version_function` must answer this rulebook's version, as the module and the
/// program share C++ types that may change from one version to the next.
const Entry& load_once(const char* file, const char* version_function, const char* entry);

/// The error to show when `what` cannot be done because module `file` is not loaded, and why.
std::string module_error(const std::string& what, const char* file, const std::string& why);

}  // namespace rulebook::modules
