#pragma once
// rulebook's modules: libraries in lib/rulebook, installed with the program and loaded only when
// what they bring is needed (the PostgreSQL store, the HTTP service, xlsx workbooks), so that the
// libraries they link are not loaded at every start. Shared by the program and its tests, which
// find them through their RUNPATH (rulebook_finds_modules in engine/CMakeLists.txt).

#include <string>

namespace rulebook::modules {

/// A loaded module, or why it could not be loaded. Never unloaded: what it made may outlive any
/// handle to it.
struct Module {
  void* handle = nullptr;
  std::string why;
  /// The address of the module's symbol `name`; null, with `why` set, when it has none.
  void* symbol(const char* name);
};

/// Loads `file` from the folders of the program's RUNPATH and checks that its function
/// `version_function` answers this rulebook's version, as the module and the program share C++
/// types that may change from one version to the next.
Module load_module(const char* file, const char* version_function);

/// The error to show when `what` cannot be done because module `file` is not loaded, and why.
std::string module_error(const std::string& what, const char* file, const std::string& why);

}  // namespace rulebook::modules
