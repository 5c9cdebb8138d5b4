#pragma once
// The shared store: PostgreSQL through libpqxx, a small pool of connections.
//
// libpq brings a dozen libraries (Kerberos, LDAP, TLS) that would cost every command some
// milliseconds to load, whatever ledger it uses: the store is a module of its own,
// librulebook_postgres.so (postgres_store.cpp), loaded the first time a PostgreSQL ledger is
// opened (postgres_module.cpp). It is found beside the library folder of the program (its
// RUNPATH: the build folder, or lib/rulebook of the installed prefix).

#include <memory>
#include <string>

#include "ledger/ledger.hpp"

namespace rulebook::ledger {

/// Connects to `url` (libpq's URI syntax) and migrates the database to the current schema.
/// Throws LedgerError, also when the module cannot be loaded.
std::unique_ptr<Ledger> open_postgres(const std::string& url);

}  // namespace rulebook::ledger
