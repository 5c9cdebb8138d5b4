#pragma once
// The content hash of a pack: which rules, exactly, a recorded decision was taken under.

#include <filesystem>
#include <string>
#include <vector>

namespace rulebook::ledger {

/// SHA-256 over every file a pack's decisions depend on: the files of its folder (cases
/// included), of the packs it imports, its subject schema and the schema files that one
/// references, each as its path relative to the packs' parent folder, a NUL, and its bytes'
/// SHA-256, in sorted path order. Equal for equal content wherever the repository lies.
/// Throws std::runtime_error when a file cannot be read.
std::string pack_hash(const std::filesystem::path& pack_dir);

/// The pack's subject schema (first) and the schema files it references, transitively; empty
/// when pack.yaml names no subject.
std::vector<std::filesystem::path> subject_schema_files(const std::filesystem::path& pack_dir);

}  // namespace rulebook::ledger
