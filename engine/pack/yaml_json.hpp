#pragma once
// YAML → JSON text, so that YAML data goes through Document::parse like any document: numbers
// keep their digits, dates are recognised, paths are known. Plain scalars that read as JSON
// numbers, booleans or null are those; everything else is a string. Used for case inputs and
// for checking rule files against the pack-format schema.

#include <cstddef>
#include <stdexcept>
#include <string>

#include "yaml/yaml.hpp"

namespace rulebook::pack {

constexpr int max_yaml_depth = 256;
/// As long as the longest JSON document read (InputLimits::max_bytes by default): aliases
/// repeat their anchor's text, so a small file can stand for a huge one ("billion laughs").
constexpr std::size_t max_yaml_json_bytes = 64u << 20;
/// Thrown for nesting deeper than max_yaml_depth (an alias referring to itself included),
/// or for JSON longer than max_yaml_json_bytes.
struct YamlTooLarge : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws YamlTooLarge; every other input converts.
std::string yaml_to_json(const yaml::Node& n);

}  // namespace rulebook::pack
