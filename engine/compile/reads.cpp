// Which parts of a document a compiled pack can read: what its schema validates, widened
// wherever a rule uses input data as a whole (compares an object, outputs it, indexes it
// by a computed key), and the whole document where a rule reads data the schema does not
// describe. Conservative by construction: a part left out is one no decision depends on.

#include <algorithm>
#include <map>

#include "check/functions.hpp"
#include "compile/program.hpp"
#include "schema/schema.hpp"

namespace rulebook::detail {
namespace {

using ir::Node;

class ReadsBuilder {
 public:
  ReadsBuilder(const Program& p, ReadSet& root) : root_(root) {
    if (p.subject) map(*p.subject, &root);
  }

  /// An expression whose value the rule uses as a whole (an output, a condition…).
  void top(const ir::Expr& e) { visit(e, false); }
  /// An expression whose value is used only by part: iterated (`each: in`), or a def's value
  /// that is input data of a known shape, used as each reference to the def uses it (a
  /// reference has that shape, and widens it where it is used whole).
  void by_part(const ir::Expr& e) { visit(e, true); }

 private:
  // Shape → the node of the read set it describes; nullptr below a node read whole.
  void map(const ir::Shape& s, ReadSet* r) {
    nodes_[&s] = r;
    bool covered = !r || r->reads_all();
    if (!covered)  // every field first: adding one may move its siblings, so no pointer is kept yet
      for (const auto& [k, sub] : s.properties) r->add_field(k);
    for (const auto& [k, sub] : s.properties) map(*sub, covered ? nullptr : &r->add_field(k));
    if (s.items) map(*s.items, covered ? nullptr : &r->add_items());
  }

  void widen(const ir::Expr& e) {
    if (!e.type.shape) return;
    auto it = nodes_.find(e.type.shape);
    if (it == nodes_.end())
      root_.whole = true;
    else if (it->second)
      it->second->whole = true;
  }

  // `parent` uses `e`; input data used other than by taking a member, an element or
  // iterating it is read whole.
  void visit(const ir::Expr& e, bool by_part) {
    bool data = e.type.kind == ir::TypeKind::object || e.type.kind == ir::TypeKind::list;
    if (data && !by_part) widen(e);
    if ((e.node == Node::member || e.node == Node::index) && !e.kids[0]->type.shape &&
        e.kids[0]->node != Node::list && e.kids[0]->node != Node::constant && e.kids[0]->node != Node::param)
      root_.whole = true;  // data whose shape the schema does not give
    if (e.node == Node::index && e.kids[0]->type.kind != ir::TypeKind::list) widen(*e.kids[0]);
    for (const auto& k : e.kids) visit(*k, used_by_part(*k, e));
  }

  static bool used_by_part(const ir::Expr& e, const ir::Expr& parent) {
    switch (parent.node) {
      case Node::member: return true;
      case Node::index: return parent.kids[0].get() == &e && e.type.kind == ir::TypeKind::list;
      case Node::item_call: return true;  // the element goes to the `each` conditions, visited on their own
      case Node::call: return parent.kids[0].get() == &e && parent.fn->has(ir::iterates);
      default: return false;
    }
  }

  ReadSet& root_;
  std::map<const ir::Shape*, ReadSet*> nodes_;
};

// Marks where the schema types a string as text (ReadSet::text), adding the nodes that lead
// there, and returns whether there is any at or below `s`. A node added below one read whole is
// read whole, as it was; one that leads to no text is taken away again.
bool mark_texts(const ir::Shape& s, ReadSet& r) {
  const bool all = r.reads_all();
  r.text = s.kind == ir::TypeKind::string;
  r.has_text = r.text;
  for (const auto& [k, sub] : s.properties) {
    bool existed = r.field(k) != nullptr;
    if (mark_texts(*sub, r.add_field(k)))
      r.has_text = true;
    else if (!existed)
      r.fields.pop_back();  // INVARIANT: add_field appends a new field last
  }
  if (s.items) {
    bool existed = r.items != nullptr;
    if (mark_texts(*s.items, r.add_items()))
      r.has_text = true;
    else if (!existed)
      r.items.reset();
  }
  r.whole = all;
  return r.has_text;
}

// Below a node read whole every node is read whole, so that a reader may follow a part's own
// node (ReadSet::part) for its `text` and read all that the whole node reads.
void spread_whole(ReadSet& r, bool whole) {
  r.whole = r.whole || whole;
  for (auto& f : r.fields) spread_whole(f, r.whole);
  if (r.items) spread_whole(*r.items, r.whole);
}

}  // namespace

ReadSet document_reads(const Program& p) {
  if (!p.schema) {
    ReadSet all;
    all.whole = true;
    return all;
  }
  ReadSet reads = p.schema->reads();
  ReadsBuilder b(p, reads);
  // A def whose value is input data (`granted: filter(patents, …)`) is read as its uses read it.
  for (const auto& d : p.defs) {
    if (!d.body.expr) continue;
    if (d.arity == 0 && d.body.expr->type.shape)
      b.by_part(*d.body.expr);
    else
      b.top(*d.body.expr);
  }
  // The `each` list is iterated, not used whole; its elements reach the conditions as slot 0.
  for (const auto& r : p.rules)
    for_each_expr(r, [&](const CompiledExpr& c, ExprUse use) {
      if (!c.expr) return;
      if (use == ExprUse::iterated)
        b.by_part(*c.expr);
      else
        b.top(*c.expr);
    });
  if (p.subject) mark_texts(*p.subject, reads);
  spread_whole(reads, false);
  return reads;
}

}  // namespace rulebook::detail
