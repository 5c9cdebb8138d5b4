#include "serve/api_error.hpp"

#include <nlohmann/json.hpp>

namespace rulebook::serve {
namespace {

nlohmann::ordered_json place(int n) { return n > 0 ? nlohmann::ordered_json(n) : nlohmann::ordered_json(nullptr); }

}  // namespace

std::string ApiError::to_json(std::string_view lang) const {
  nlohmann::ordered_json e = {{"code", code},
                              {"message", lang == "zh" && !message_zh.empty() ? message_zh : message},
                              {"line", place(line)},
                              {"column", place(column)},
                              {"path", path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(path)}};
  if (!problems.empty()) {
    auto& list = e["problems"] = nlohmann::ordered_json::array();
    for (const auto& p : problems)
      list.push_back(
          {{"message", p.message_in(lang)},
           {"path", p.json_path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.json_path)}});
  }
  // replace: a message quoting invalid UTF-8 from the input must not make the answer invalid.
  return nlohmann::ordered_json{{"error", e}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ApiError api_error(int status, std::string code, std::string message, std::string message_zh) {
  ApiError a;
  a.status = status;
  a.code = std::move(code);
  a.message = std::move(message);
  a.message_zh = std::move(message_zh);
  return a;
}

ApiError parse_error(const std::vector<Error>& errors) {
  if (errors.empty())
    return api_error(400, "malformed_json", "the body is not a JSON document", "请求内容不是 JSON 文档");
  const Error& e = errors.front();
  ApiError a = api_error(400, "malformed_json", e.message, e.message_zh);
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
  if (errors.empty())
    return api_error(422, "schema_violation", "the document breaks the pack's subject schema",
                     "申报材料不符合该政策的数据要求");
  ApiError a = api_error(422, "schema_violation", errors.front().message, errors.front().message_zh);
  a.path = errors.front().json_path;
  a.problems = errors;
  return a;
}

std::string placed_message(const Error& e, std::string_view lang) {
  if (!e.loc.known()) return e.message_in(lang);
  return e.loc.to_string() + (lang == "zh" ? "：" : ": ") + e.message_in(lang);
}

ApiError sheet_error(const std::vector<Error>& errors) {
  if (errors.empty()) return api_error(422, "bad_sheet", "the sheet cannot be read", "无法读取该表格");
  // The file is named even where the line is not known: an xlsx error names its cell in the words.
  const Error& e = errors.front();
  ApiError a =
      api_error(422, "bad_sheet", e.loc.to_string() + ": " + e.message, e.loc.to_string() + "：" + e.message_in("zh"));
  a.problems = errors;
  return a;
}

}  // namespace rulebook::serve
