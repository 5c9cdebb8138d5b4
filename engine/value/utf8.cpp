// UTF-8 checked many bytes at a time (utf8.hpp).

#include "value/utf8.hpp"

#include <simdjson.h>

namespace rulebook {

bool valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

}  // namespace rulebook
