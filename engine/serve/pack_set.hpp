#pragma once
// The packs a server decides with, loaded from one folder, swapped whole on reload: a request
// holds the set it started with (a shared_ptr), so a reload never changes a decision in flight.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ledger/recorder.hpp"

namespace rulebook::serve {

/// A rule as listed by the service.
struct RuleInfo {
  std::string id;
  Text title;
  std::string severity, clause, quote;
};

/// One loaded pack and what the listing routes show of it.
struct ServedPack {
  ledger::LedgerPack loaded;
  std::vector<RuleInfo> rules;
  std::string subject_schema;  ///< file name of the subject schema, empty when none
  std::vector<std::string> reads;  ///< where the rules read a document (CompiledPack::read_paths)
};

/// Immutable once built; shared by every request that started while it was current.
struct PackSet {
  std::map<std::string, std::shared_ptr<const ServedPack>> packs;  ///< by pack id
  std::map<std::string, std::string> schemas;  ///< file name → content, of every subject schema and its references
  std::string loaded_at;
};

struct PackSetResult {
  std::shared_ptr<const PackSet> set;  ///< null when any pack failed
  std::vector<Error> errors, warnings;
};

/// Loads every folder of `dir` that holds a pack.yaml. One failing pack fails the whole set:
/// a service half-updated would decide some applications under old rules and some under new.
PackSetResult load_pack_set(const std::filesystem::path& dir, const LoadOptions& options);

/// The current set and its atomic replacement. Thread-safe.
class PackRegistry {
 public:
  PackRegistry(std::filesystem::path dir, LoadOptions options) : dir_(std::move(dir)), options_(options) {}
  /// The set to decide a request with.
  std::shared_ptr<const PackSet> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  /// Loads the folder again; on success the new set replaces the old one, otherwise the old one
  /// stays and the result carries the reasons. Reloads run one at a time.
  PackSetResult reload();
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  LoadOptions options_;
  mutable std::mutex mutex_;   ///< guards current_ only: swapping is a pointer copy
  std::mutex reload_mutex_;    ///< one reload at a time, without blocking readers
  std::shared_ptr<const PackSet> current_;
};

}  // namespace rulebook::serve
