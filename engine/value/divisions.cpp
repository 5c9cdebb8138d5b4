#include "value/divisions.hpp"

#include "value/data_file.hpp"
#include "value/utf8.hpp"

namespace rulebook {

std::optional<Divisions> Divisions::load(const std::filesystem::path& file, std::vector<Error>& errors) {
  auto fail = [&](const std::string& message) { return data_error(file, message, errors); };
  auto j = read_data_file(file, "the administrative divisions", errors);
  if (!j) return std::nullopt;
  auto provinces = j->find("provinces");
  if (provinces == j->end() || !provinces->is_object()) return fail("the administrative divisions need 'provinces'");
  Divisions d;
  for (const auto& [code, names] : provinces->items()) {
    bool six_digits = code.size() == 6 && code.find_first_not_of("0123456789") == std::string::npos;
    if (!six_digits || code.substr(2) != "0000") return fail("not a province's code (NN0000): " + code);
    if (!names.is_array()) return fail("province " + code + " needs a list of names");
    d.by_prefix_[code.substr(0, 2)] = code;
    for (const auto& n : names) {
      if (!n.is_string()) return fail("province " + code + ": names are strings");
      d.by_name_[n.get<std::string>()] = code;
    }
  }
  return d;
}

std::optional<std::string> Divisions::province(std::string_view text) const {
  // As a form fills it in: spaces around and full-width digits (２３０１００) are the same text
  // (helper-66: " 黑龙江省" was no province).
  const std::string normalized = normalize_id(text);
  const std::string_view s = normalized;
  if (auto it = by_name_.find(s); it != by_name_.end()) return it->second;
  bool six_digits = s.size() == 6 && s.find_first_not_of("0123456789") == std::string_view::npos;
  if (!six_digits) return std::nullopt;
  if (auto it = by_prefix_.find(s.substr(0, 2)); it != by_prefix_.end()) return it->second;
  return std::nullopt;
}

}  // namespace rulebook
