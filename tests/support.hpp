#pragma once
// Helpers that build small packs on disk, so tests drive the engine through its public API.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/engine.hpp"

// So that CAPTURE and failed CHECKs print these as text.
namespace doctest {
template <>
struct StringMaker<std::string_view> {
  static String convert(std::string_view v) { return String(v.data(), static_cast<unsigned>(v.size())); }
};
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (const auto& x : v) s += (s.size() > 1 ? ", \"" : "\"") + x + "\"";
    return String((s + "}").c_str());
  }
};
}  // namespace doctest

namespace rulebook::test {

/// A fresh folder under the system's temp directory, removed when the object dies.
struct TempDir {
  std::filesystem::path path;
  TempDir();
  ~TempDir();
  void write(const std::string& name, std::string_view text) const;
};

/// YAML keys `<key>0` to `<key>N-1` (N = `levels`), each a list of nine aliases of the one
/// before, the first of nine strings: 9^N strings ("billion laughs" at N = 9) in a few hundred bytes.
std::string nested_aliases(int levels, const std::string& key = "a");

/// pack.yaml with a valid header plus `extra` (params, defs, subject...), and `rules` as rules.yaml.
LoadResult load_pack_text(const TempDir& dir, std::string_view extra, std::string_view rules);

/// Evaluates `expr` as the only output of a rule, against the JSON document `json`:
/// the value's display ("0.3", "true", "unknown"), or "error: message" for a load or
/// evaluation error.
std::string eval_str(std::string_view expr, std::string_view json = "{}", std::string_view params = "");

/// An expression and the display of its value, for table-driven tests.
struct ExprCase {
  std::string_view expr, want;
};
/// Checks every case against `json`, naming the failing expression.
void check_cases(std::initializer_list<ExprCase> cases, std::string_view json = "{}");

/// The repository's root, for examples and packs.
std::filesystem::path source_dir();

}  // namespace rulebook::test
