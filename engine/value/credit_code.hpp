#pragma once
#include <string_view>

namespace rulebook {

/// CM-02: whether `code` is a well-formed 统一社会信用代码 (GB 32100-2015): 18 characters from
/// 0-9 and A-Y without I, O, S, V, Z, the last being the check character of the first 17.
bool credit_code_valid(std::string_view code);

}  // namespace rulebook
