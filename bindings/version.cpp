// The library's version, one place for the C and the C++ API.

#include "rulebook/version.hpp"

namespace rulebook {

std::string_view version() noexcept { return RULEBOOK_VERSION_STRING; }

}  // namespace rulebook
