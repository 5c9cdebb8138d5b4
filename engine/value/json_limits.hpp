#pragma once
// How many values a JSON document may hold, for both readers (Document::parse and batch's fast
// reader), which must accept the same documents. A value costs tens of bytes once read: 27
// million zeros in a 54 MB document took 1.6 GB. One value per 8 bytes of the byte limit keeps
// memory within a few times that limit, and no realistic document near it.

#include <algorithm>
#include <cstddef>

namespace rulebook {

inline std::size_t json_value_limit(std::size_t max_bytes) { return std::max<std::size_t>(max_bytes / 8, 1u << 16); }

}  // namespace rulebook
