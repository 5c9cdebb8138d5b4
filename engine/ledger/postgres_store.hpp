#pragma once
// The shared store: PostgreSQL through libpqxx, a small pool of connections.

#include <memory>
#include <string>

#include "ledger/ledger.hpp"

namespace rulebook::ledger {

/// Connects to `url` (libpq's URI syntax) and migrates the database to the current schema.
std::unique_ptr<Ledger> open_postgres(const std::string& url);

/// The URL without its password, for messages and logs.
std::string redact_url(const std::string& url);

}  // namespace rulebook::ledger
