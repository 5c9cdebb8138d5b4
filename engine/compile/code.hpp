#pragma once
// The lowered form of a checked expression, which the evaluator runs (#15): the tree's nodes
// laid out in one array as small instructions, every operand resolved. The checked tree stays
// beside it for the passes that analyse rules (lint, the read sets) and for what only an error
// reads (a node's place in the rule file).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "check/ir.hpp"

namespace rulebook::ir {
struct FunctionSpec;
}

namespace rulebook::detail {

/// One instruction: what a checked node does (or two, fused), with its operands `nkids`
/// instructions in a row at `kids`, in the same Code. 72 bytes, where a checked node takes 240.
struct Instr {
  ir::Node node = ir::Node::constant;
  expr::Op op{};
  std::uint32_t nkids = 0;
  std::int32_t slot = -1;  ///< local, output, def, def_call: as ir::Expr::slot
  bool fused = false;      ///< a call that runs two checked calls in one walk (ir::fused_call): two steps
  const Instr* kids = nullptr;
  std::string_view name;                 ///< input and member: the field; call: the function
  const Value* value = nullptr;          ///< constant, and a param without dated values: its value
  const ir::FunctionSpec* fn = nullptr;  ///< call
  const ir::Expr* checked = nullptr;     ///< the checked node: its place, a lambda's slots, a param's dated values

  std::span<const Instr> operands() const { return {kids, nkids}; }
};

/// A compiled expression's instructions, the first its root. Move-only: the instructions point at
/// each other and into the checked tree, which must outlive them.
class Code {
 public:
  Code() = default;
  Code(Code&&) noexcept = default;
  Code& operator=(Code&&) noexcept = default;
  Code(const Code&) = delete;
  Code& operator=(const Code&) = delete;

  static Code lower(const ir::Expr& root);

  const Instr& root() const { return instrs_.front(); }
  bool empty() const { return instrs_.empty(); }
  std::size_t size() const { return instrs_.size(); }

 private:
  std::vector<Instr> instrs_;  // INVARIANT: never resized once lowered (the instructions point into it)
};

}  // namespace rulebook::detail
