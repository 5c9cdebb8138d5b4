#pragma once
// The library's own way into a CompiledPack. The public header keeps the compiled program
// opaque, so that no internal type reaches an integrator; reports, batch, diff, lint and the
// cases runner read it through here.

#include "compile/program.hpp"
#include "rulebook/engine.hpp"

namespace rulebook {

struct CompiledPack::Impl {
  std::shared_ptr<const detail::Program> program;
};

struct PackAccess {
  static const detail::Program& program(const CompiledPack& pack) { return *pack.impl_->program; }
  static CompiledPack make(std::shared_ptr<const detail::Program> program) {
    return CompiledPack(std::make_shared<const CompiledPack::Impl>(CompiledPack::Impl{std::move(program)}));
  }
};

namespace detail {
/// The compiled form of `pack`.
inline const Program& program(const CompiledPack& pack) { return PackAccess::program(pack); }
}  // namespace detail

}  // namespace rulebook
