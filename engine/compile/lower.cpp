#include "check/functions.hpp"
#include "compile/code.hpp"

namespace rulebook::detail {
namespace {

// What runs `e` in one instruction with the call under it (count(filter(xs, p))); null if nothing.
const ir::FunctionSpec* fused(const ir::Expr& e) {
  if (e.node != ir::Node::call || e.kids.size() != 1 || e.kids[0]->node != ir::Node::call) return nullptr;
  return ir::fused_call(*e.fn, e.kids.size(), *e.kids[0]->fn);
}

std::size_t count_instrs(const ir::Expr& e) {
  if (fused(e)) return count_instrs(*e.kids[0]);
  std::size_t n = 1;
  for (const auto& k : e.kids) n += count_instrs(*k);
  return n;
}

// Lays `e` out at `at` and its operands in a row after everything placed so far.
void lay_out(const ir::Expr& e, std::vector<Instr>& code, std::size_t at, std::size_t& next) {
  if (const ir::FunctionSpec* f = fused(e)) {  // the inner call, run as the pair
    lay_out(*e.kids[0], code, at, next);
    code[at].fn = f;
    code[at].fused = true;
    code[at].checked = &e;  // where an error about its value points: the outer call (the walk's own name its operands)
    return;
  }
  Instr& i = code[at];
  i.node = e.node;
  i.op = e.op;
  i.nkids = std::uint32_t(e.kids.size());
  i.slot = e.slot;
  i.checked = &e;
  i.fn = e.fn;
  if (e.node == ir::Node::input || e.node == ir::Node::member || e.node == ir::Node::call) i.name = e.name;
  if (e.node == ir::Node::constant || (e.node == ir::Node::param && !e.dated)) i.value = &e.value;
  const std::size_t first = next;
  next += e.kids.size();
  i.kids = code.data() + first;
  for (std::size_t k = 0; k < e.kids.size(); ++k) lay_out(*e.kids[k], code, first + k, next);
}

}  // namespace

Code Code::lower(const ir::Expr& root) {
  Code c;
  c.instrs_.resize(count_instrs(root));
  std::size_t next = 1;
  lay_out(root, c.instrs_, 0, next);
  return c;
}

}  // namespace rulebook::detail
