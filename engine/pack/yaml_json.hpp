#pragma once
// YAML → JSON text, so that YAML data goes through Document::parse like any document: numbers
// keep their digits, dates are recognised, paths are known. Plain scalars that read as JSON
// numbers, booleans or null are those; everything else is a string. Used for case inputs and
// for checking rule files against the pack-format schema.

#include <stdexcept>
#include <string>

#include "yaml/yaml.hpp"

namespace rulebook::pack {

constexpr int max_yaml_depth = 256;
/// Thrown for nesting deeper than max_yaml_depth (an alias referring to itself included).
struct YamlTooDeep : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws YamlTooDeep; every other input converts.
std::string yaml_to_json(const yaml::Node& n);

}  // namespace rulebook::pack
