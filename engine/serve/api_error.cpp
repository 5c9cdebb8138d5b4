#include "serve/api_error.hpp"

#include <nlohmann/json.hpp>

namespace rulebook::serve {
namespace {

nlohmann::ordered_json place(int n) { return n > 0 ? nlohmann::ordered_json(n) : nlohmann::ordered_json(nullptr); }

}  // namespace

std::string ApiError::to_json() const {
  nlohmann::ordered_json e = {{"code", code},
                              {"message", message},
                              {"line", place(line)},
                              {"column", place(column)},
                              {"path", path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(path)}};
  if (!problems.empty()) {
    auto& list = e["problems"] = nlohmann::ordered_json::array();
    for (const auto& p : problems)
      list.push_back({{"message", p.message}, {"path", p.json_path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.json_path)}});
  }
  // replace: a message quoting invalid UTF-8 from the input must not make the answer invalid.
  return nlohmann::ordered_json{{"error", e}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ApiError parse_error(const std::vector<Error>& errors) {
  ApiError a;
  a.status = 400;
  a.code = "malformed_json";
  if (errors.empty()) {
    a.message = "the body is not a JSON document";
    return a;
  }
  const Error& e = errors.front();
  a.message = e.message;
  a.line = e.loc.line;
  a.column = e.loc.col;
  a.path = e.json_path;
  if (e.code == Error::Code::limit) {
    bool size = e.message.find("byte") != std::string::npos;
    a.status = size ? 413 : 400;
    a.code = size ? "body_too_large" : "too_deep";
  } else if (e.message.find("nested deeper") != std::string::npos) {
    a.code = "too_deep";
  } else if (e.code == Error::Code::input) {
    a.code = "bad_document";
  }
  return a;
}

ApiError schema_error(const std::vector<Error>& errors) {
  ApiError a;
  a.status = 422;
  a.code = "schema_violation";
  a.message = errors.empty() ? "the document breaks the pack's subject schema" : errors.front().message;
  if (!errors.empty()) a.path = errors.front().json_path;
  a.problems = errors;
  return a;
}

}  // namespace rulebook::serve
