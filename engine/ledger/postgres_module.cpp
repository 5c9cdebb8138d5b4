// Loads the PostgreSQL store's module (see postgres_store.hpp) once, when a PostgreSQL ledger
// is first opened.

#include "modules/loader.hpp"
#include "ledger/postgres_store.hpp"

namespace rulebook::ledger {

std::unique_ptr<Ledger> open_postgres(const std::string& url) {
  constexpr const char* file = "librulebook_postgres.so";
  const auto& open = modules::load_once(file, "rulebook_postgres_version", "rulebook_open_postgres");
  if (!open.address) throw LedgerError(modules::module_error("cannot use a PostgreSQL ledger", file, open.why));
  using Open = Ledger* (*)(const std::string&);
  return std::unique_ptr<Ledger>(reinterpret_cast<Open>(open.address)(url));
}

}  // namespace rulebook::ledger
