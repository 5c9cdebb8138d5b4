#pragma once
#include <memory>
#include <vector>

#include "compile/program.hpp"
#include "pack/pack.hpp"

namespace rulebook::detail {

/// Checks every expression of `pack` and builds its Program; nullptr when there were errors.
/// All errors are reported, not just the first.
std::shared_ptr<const Program> compile(const pack::Pack& pack, const LoadOptions& options, std::vector<Error>& errors,
                                       std::vector<Error>& warnings);

}  // namespace rulebook::detail
