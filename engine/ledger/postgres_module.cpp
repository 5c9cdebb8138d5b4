// Loads the PostgreSQL store's module (see postgres_store.hpp) once, when a PostgreSQL ledger
// is first opened.

#include <mutex>

#include "modules/loader.hpp"
#include "ledger/postgres_store.hpp"

namespace rulebook::ledger {

std::unique_ptr<Ledger> open_postgres(const std::string& url) {
  using Open = Ledger* (*)(const std::string&);
  static modules::Module module;
  static Open open = nullptr;
  static std::once_flag loaded;
  std::call_once(loaded, [] {
    module = modules::load_module("librulebook_postgres.so", "rulebook_postgres_version");
    open = reinterpret_cast<Open>(module.symbol("rulebook_open_postgres"));
  });
  if (!open) throw LedgerError(modules::module_error("cannot use a PostgreSQL ledger", "librulebook_postgres.so", module.why));
  return std::unique_ptr<Ledger>(open(url));
}

}  // namespace rulebook::ledger
