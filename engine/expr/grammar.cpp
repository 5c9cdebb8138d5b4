// The only translation unit that compiles the X3 grammar (it is slow to compile).
#include "expr/grammar_def.hpp"

namespace rulebook::expr::grammar {
BOOST_SPIRIT_INSTANTIATE(expression_top_type, iterator_type, context_type)
}  // namespace rulebook::expr::grammar
