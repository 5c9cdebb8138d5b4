// Loads the PostgreSQL store's module (see postgres_store.hpp) once, when a PostgreSQL ledger
// is first opened.

#include <dlfcn.h>

#include <mutex>

#include "ledger/postgres_store.hpp"

namespace rulebook::ledger {

std::unique_ptr<Ledger> open_postgres(const std::string& url) {
  using Open = Ledger* (*)(const std::string&);
  using Version = const char* (*)();
  static Open open = nullptr;
  static std::string why;
  static std::once_flag loaded;
  std::call_once(loaded, [] {
    // Never unloaded: a ledger's code must outlive every ledger it made.
    void* module = dlopen("librulebook_postgres.so", RTLD_NOW | RTLD_LOCAL);
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
