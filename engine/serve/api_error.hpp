#pragma once
// Every error the service answers: an HTTP status and a JSON body naming the problem,
//   {"error": {"code": "schema_violation", "message": "...", "line": null, "column": null, "path": "$.x"}}
// Messages are in the request's language (?lang=zh or en; English when not given, for programs):
// the engine's errors carry both wordings (Error::message_zh), so the desk shows Chinese.

#include <string>
#include <string_view>
#include <vector>

#include "rulebook/error.hpp"

namespace rulebook::serve {

struct ApiError {
  int status = 400;
  std::string code;  ///< stable, for programs: malformed_json, schema_violation, unknown_pack, …
  std::string message;
  std::string message_zh;    ///< empty: `message` is shown in Chinese too
  int line = 0, column = 0;  ///< 1-based place in the body; 0: not about a place
  std::string path;          ///< JSON path in the document; empty: not about a field
  std::vector<Error> problems;  ///< every schema violation, when there are several

  /// The JSON body, its messages in `lang` ("zh"; anything else: English).
  std::string to_json(std::string_view lang = "en") const;
};

/// An error answered with both wordings of its message (message_zh empty: English in both).
ApiError api_error(int status, std::string code, std::string message, std::string message_zh = {});
/// The first problem of a document that does not parse (400, with line:column) or breaks a
/// limit (413 for its size, 400 for its depth).
ApiError parse_error(const std::vector<Error>& errors);
/// Schema violations: 422 with the first one's path, and all of them under "problems".
ApiError schema_error(const std::vector<Error>& errors);
/// An uploaded sheet (or its mapping) that cannot be read: 422 "bad_sheet", the first problem
/// with its place as the message, and all of them under "problems".
ApiError sheet_error(const std::vector<Error>& errors);
/// "file:line:col: message" (or the message alone when it has no place), in `lang`.
std::string placed_message(const Error& e, std::string_view lang);

}  // namespace rulebook::serve
