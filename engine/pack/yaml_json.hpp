#pragma once
// YAML → JSON text, so that YAML data goes through Document::parse like any document: numbers
// keep their digits, dates are recognised, paths are known. Plain scalars that read as JSON
// numbers, booleans or null are those; everything else is a string. Used for case inputs and
// for checking rule files against the pack-format schema.

#include <yaml-cpp/yaml.h>

#include <string>

namespace rulebook::pack {

std::string yaml_to_json(const YAML::Node& n);

}  // namespace rulebook::pack
