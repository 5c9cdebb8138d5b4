#include "compile/code.hpp"

namespace rulebook::detail {
namespace {

std::size_t count_nodes(const ir::Expr& e) {
  std::size_t n = 1;
  for (const auto& k : e.kids) n += count_nodes(*k);
  return n;
}

// Lays `e` out at `at` and its operands in a row after everything placed so far.
void lay_out(const ir::Expr& e, std::vector<Instr>& code, std::size_t at, std::size_t& next, std::uint32_t& sites) {
  Instr& i = code[at];
  i.node = e.node;
  i.op = e.op;
  i.nkids = std::uint32_t(e.kids.size());
  i.slot = e.slot;
  i.at = &e;
  i.fn = e.fn;
  if (e.node == ir::Node::input || e.node == ir::Node::member) i.site = sites++;
  if (e.node == ir::Node::input || e.node == ir::Node::member || e.node == ir::Node::call) i.name = e.name;
  if (e.node == ir::Node::constant || (e.node == ir::Node::param && !e.dated)) i.value = &e.value;
  const std::size_t first = next;
  next += e.kids.size();
  i.kids = code.data() + first;
  for (std::size_t k = 0; k < e.kids.size(); ++k) lay_out(*e.kids[k], code, first + k, next, sites);
}

}  // namespace

Code Code::lower(const ir::Expr& root, std::uint32_t& sites) {
  Code c;
  c.instrs_.resize(count_nodes(root));
  std::size_t next = 1;
  lay_out(root, c.instrs_, 0, next, sites);
  return c;
}

}  // namespace rulebook::detail
