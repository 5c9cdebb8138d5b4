#pragma once
// The operators of the expression language. A header of its own, without the grammar's
// Spirit X3 types, so that the checked tree and the evaluator name them cheaply.

namespace rulebook::expr {

enum class Op { or_, and_, eq, ne, lt, le, gt, ge, in, not_in, add, sub, mul, div, neg, not_ };

}  // namespace rulebook::expr
