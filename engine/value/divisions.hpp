#pragma once
// China's administrative divisions (GB/T 2260), as data: provinces compared as regions, not
// strings, so that 黑龙江, 黑龙江省 and 230000 are one province (HL-06).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/error.hpp"

namespace rulebook {

/// Immutable once loaded; thread-safe to read.
class Divisions {
 public:
  /// Reads {"source": text, "provinces": {"230000": ["黑龙江省", "黑龙江"], ...}}.
  static std::optional<Divisions> load(const std::filesystem::path& file, std::vector<Error>& errors);

  /// The province's six-digit code for a name (full or short) or any six-digit division code
  /// within it (230100 → 230000); nullopt for anything else.
  std::optional<std::string> province(std::string_view name_or_code) const;

 private:
  std::map<std::string, std::string, std::less<>> by_name_;  ///< name → province code
  std::map<std::string, std::string, std::less<>> by_prefix_;  ///< first two digits → province code
};

}  // namespace rulebook
