#pragma once
// Every error the service answers: an HTTP status and a JSON body naming the problem,
//   {"error": {"code": "schema_violation", "message": "...", "line": null, "column": null, "path": "$.x"}}

#include <string>
#include <vector>

#include "rulebook/error.hpp"

namespace rulebook::serve {

struct ApiError {
  int status = 400;
  std::string code;  ///< stable, for programs: malformed_json, schema_violation, unknown_pack, …
  std::string message;
  int line = 0, column = 0;  ///< 1-based place in the body; 0: not about a place
  std::string path;          ///< JSON path in the document; empty: not about a field
  std::vector<Error> problems;  ///< every schema violation, when there are several

  /// The JSON body.
  std::string to_json() const;
};

/// The first problem of a document that does not parse (400, with line:column) or breaks a
/// limit (413 for its size, 400 for its depth).
ApiError parse_error(const std::vector<Error>& errors);
/// Schema violations: 422 with the first one's path, and all of them under "problems".
ApiError schema_error(const std::vector<Error>& errors);

}  // namespace rulebook::serve
