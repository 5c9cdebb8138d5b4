#pragma once
// A document's values as the pack's schema types them. Document::parse reads a `YYYY-MM-DD`
// string as a date, knowing no schema; where the schema says the value is text, it is text
// again here, as batch's reader makes it while reading (ReadSet::text).

#include "rulebook/engine.hpp"
#include "schema/read_set.hpp"

namespace rulebook::detail {

/// `doc` with every date at a text place of `reads` turned back into its string. The parts it
/// leaves alone are shared, not copied; a document with no such date comes back as it was.
Document typed(Document doc, const ReadSet& reads);

}  // namespace rulebook::detail
