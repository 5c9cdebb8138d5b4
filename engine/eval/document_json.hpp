#pragma once
// A document from an nlohmann::json value: for the library's own tests and tools, kept out of
// the public headers so that an integrator needs no nlohmann/json.

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "rulebook/engine.hpp"

namespace rulebook::detail {

/// Floating-point numbers take their shortest exact rendering.
DocumentResult document_from_json(const nlohmann::json& json, std::string name = "-");

}  // namespace rulebook::detail
