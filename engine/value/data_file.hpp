#pragma once
// Reference data kept as JSON beside a pack (the working-day calendar, the divisions): read
// once at load, every problem an Error naming the file.

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/error.hpp"

namespace rulebook {

/// Appends an io Error about `file` and returns nullopt, for `return data_error(…)`.
inline std::nullopt_t data_error(const std::filesystem::path& file, std::string message, std::vector<Error>& errors) {
  Error e;
  e.code = Error::Code::io;
  e.message = std::move(message);
  e.loc.file = file.string();
  errors.push_back(std::move(e));
  return std::nullopt;
}

/// The file's JSON object; nullopt (with the error) when it cannot be read or is not an object.
inline std::optional<nlohmann::json> read_data_file(const std::filesystem::path& file, const std::string& what,
                                                    std::vector<Error>& errors) {
  std::ifstream in(file);
  if (!in) return data_error(file, "cannot read " + what, errors);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return data_error(file, what + " is not valid JSON", errors);
  return j;
}

}  // namespace rulebook
