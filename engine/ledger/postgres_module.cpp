// Loads the PostgreSQL store's module (see postgres_store.hpp) once, when a PostgreSQL ledger
// is first opened.

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <vector>

#include "ledger/postgres_store.hpp"

namespace rulebook::ledger {
namespace {

constexpr const char* module_name = "librulebook_postgres.so";

// The module's full path, from the folders the loader searches for this program's own libraries
// (its RUNPATH, $ORIGIN expanded): dlopen by name searches the caller's RUNPATH, and under a
// sanitizer the caller is the sanitizer's runtime, which has none. The bare name when no folder
// holds it, for dlopen's own error.
std::string module_path() {
  void* self = dlopen(nullptr, RTLD_NOW);
  Dl_serinfo size;
  if (!self || dlinfo(self, RTLD_DI_SERINFOSIZE, &size) != 0) return module_name;
  std::vector<char> buffer(size.dls_size);
  auto* info = reinterpret_cast<Dl_serinfo*>(buffer.data());
  if (dlinfo(self, RTLD_DI_SERINFOSIZE, info) != 0 || dlinfo(self, RTLD_DI_SERINFO, info) != 0) return module_name;
  for (unsigned i = 0; i < info->dls_cnt; ++i) {
    std::filesystem::path candidate = std::filesystem::path(info->dls_serpath[i].dls_name) / module_name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
  }
  return module_name;
}

}  // namespace

std::unique_ptr<Ledger> open_postgres(const std::string& url) {
  using Open = Ledger* (*)(const std::string&);
  using Version = const char* (*)();
  static Open open = nullptr;
  static std::string why;
  static std::once_flag loaded;
  std::call_once(loaded, [] {
    // Never unloaded: a ledger's code must outlive every ledger it made.
    void* module = dlopen(module_path().c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!module) {
      why = dlerror();
      return;
    }
    auto version = reinterpret_cast<Version>(dlsym(module, "rulebook_postgres_version"));
    if (!version || std::string(version()) != engine_version()) {
      why = "it is from rulebook " + std::string(version ? version() : "before 0.1") + ", this is rulebook " +
            engine_version();
      return;
    }
    open = reinterpret_cast<Open>(dlsym(module, "rulebook_open_postgres"));
    if (!open) why = dlerror();
  });
  if (!open)
    throw LedgerError("cannot use a PostgreSQL ledger: its module librulebook_postgres.so, installed with rulebook "
                      "in lib/rulebook beside the program's lib folder, could not be loaded (" + why + ")");
  return std::unique_ptr<Ledger>(open(url));
}

}  // namespace rulebook::ledger
