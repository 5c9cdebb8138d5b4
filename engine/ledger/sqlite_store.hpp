#pragma once
// The embedded store: one SQLite file in WAL mode, fsynced on every commit.

#include <memory>
#include <string>

#include "ledger/ledger.hpp"

namespace rulebook::ledger {

/// Opens or creates the ledger file at `path` and migrates it to the current schema.
std::unique_ptr<Ledger> open_sqlite(const std::string& path);

}  // namespace rulebook::ledger
