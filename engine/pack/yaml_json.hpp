#pragma once
// YAML → JSON text, so that YAML data goes through Document::parse like any document: numbers
// keep their digits, dates are recognised, paths are known. Plain scalars that read as JSON
// numbers, booleans or null are those; everything else is a string. Used for case files'
// inputs and expected values.

#include <cstddef>
#include <stdexcept>
#include <string>

#include "rulebook/engine.hpp"
#include "yaml/yaml.hpp"

namespace rulebook::pack {

constexpr int max_yaml_depth = 256;
/// Thrown for nesting deeper than max_yaml_depth, for an alias inside the node it names, or
/// for JSON longer than the document limit (yaml::parse bounds what aliases expand to, by the
/// YAML's own size, which for a long text may be more).
struct YamlTooLarge : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws YamlTooLarge; every other input converts.
std::string yaml_to_json(const yaml::Node& n, std::size_t max_bytes = InputLimits{}.max_bytes);

}  // namespace rulebook::pack
