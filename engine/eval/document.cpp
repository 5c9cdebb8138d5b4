// Reads JSON into Values exactly: numbers keep the digits written (nlohmann's SAX
// interface hands us the raw text of every non-integer number), dates are recognised,
// and every object and list remembers its JSON path for messages and missing fields.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "eval/document_json.hpp"
#include "rulebook/engine.hpp"
#include "value/json_limits.hpp"
#include "value/json_number.hpp"
#include "value/key_set.hpp"
#include "value/os_reason.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

// nlohmann's names of tokens (lexer::token_type_name) as a reviewer calls them.
std::string token_zh(std::string_view token) {
  static const std::pair<std::string_view, std::string_view> names[] = {
      {"end of input", "内容结尾"},
      {"string literal", "加英文双引号的文本"},
      {"number literal", "数字"},
      {"true literal", "true"},
      {"false literal", "false"},
      {"null literal", "null"},
      {"'{'", "{"},
      {"'}'", "}"},
      {"'['", "["},
      {"']'", "]"},
      {"':'", "冒号 :"},
      {"','", "逗号 ,"},
      {"'[', '{', or a literal", "一个值（{…}、[…]、加英文双引号的文本、数字、true、false 或 null）"}};
  for (const auto& [en, zh] : names)
    if (token == en) return std::string(zh);
  return std::string(token);
}

// What nlohmann's lexer found wrong in a token ("invalid string: missing closing quote"), in words.
std::string lexer_error_zh(std::string_view error) {
  auto after = [&](std::string_view from, std::string_view to) {
    auto b = error.find(from);
    if (b == std::string_view::npos) return std::string_view();
    b += from.size();
    return error.substr(b, to.empty() ? std::string_view::npos : error.find(to, b) - b);
  };
  if (error.starts_with("invalid literal"))
    return "此处不是有效的值（文本须加英文双引号，其他值为数字、true、false 或 null）";
  if (error.starts_with("invalid string: missing closing quote")) return "文本缺少结尾的英文双引号 \"";
  if (error.starts_with("invalid string: control character")) {
    // "control character U+000A (LF) must be escaped to \u000A or \n"
    std::string escape(after(" must be escaped to ", {}));
    if (auto o = escape.find(" or "); o != std::string::npos) escape.replace(o, 4, " 或 ");
    return "文本中有未转义的控制字符 " + std::string(after("control character ", " must")) + "（须写作 " + escape +
           "）";
  }
  if (error.starts_with("invalid string: '\\u' must be followed by 4 hex digits"))
    return "文本中的 \\u 之后须有 4 位十六进制数字";
  if (error.starts_with("invalid string: surrogate"))
    return "文本中的 \\u 代理项不成对（U+D800..U+DBFF 之后须紧跟 U+DC00..U+DFFF）";
  if (error.starts_with("invalid string: forbidden character after backslash"))
    return "文本中反斜杠 \\ 之后只能是 \"、\\、/、b、f、n、r、t 或 u（反斜杠本身须写作 \\\\）";
  if (error.starts_with("invalid string: ill-formed UTF-8 byte"))
    return "文本中有不是 UTF-8 的字节（文件须以 UTF-8 编码保存）";
  if (error.starts_with("invalid string")) return "文本无效";
  if (error.starts_with("invalid number; expected digit after '-'")) return "数字无效：负号 - 之后应为数字";
  if (error.starts_with("invalid number; expected digit after '.'")) return "数字无效：小数点 . 之后应为数字";
  if (error.starts_with("invalid number; expected '+', '-', or digit after exponent"))
    return "数字无效：指数 e 之后应为 +、- 或数字";
  if (error.starts_with("invalid number")) return "数字无效";
  if (error.starts_with("invalid BOM")) return "文件开头的字节顺序标记（BOM）无效";
  return "此处不符合 JSON 的写法";
}

// nlohmann's reason ("syntax error while parsing object - unexpected ']'; expected '}'") in the
// words a reviewer reads: what was expected where it stopped, and what was found there. The place
// is the error's loc, not written here: batch and diff move a JSON Lines line's to the file's.
// The reason has three parts: what was being read (value, object, object key, object separator,
// array), what was found (an unexpected token, or what the lexer found wrong in one), and the
// token expected.
std::string malformed_zh(std::string_view reason, bool blank) {
  const std::string at = "JSON 格式有误：";
  if (blank) return at + "文档是空的，应为一个 JSON 对象（{…}）";
  std::string_view context, found = reason, expected;
  if (auto c = reason.find("while parsing "); c != std::string_view::npos) {
    auto dash = reason.find(" - ", c);
    context = reason.substr(c + 14, dash == std::string_view::npos ? std::string_view::npos : dash - c - 14);
    found = dash == std::string_view::npos ? std::string_view() : reason.substr(dash + 3);
  }
  if (context == "object key" && found.starts_with("invalid literal")) return at + "此处应为加英文双引号的键名";
  if (!found.starts_with("unexpected ")) return at + lexer_error_zh(found);
  found.remove_prefix(11);
  if (auto e = found.find("; expected "); e != std::string_view::npos) {
    expected = found.substr(e + 11);
    found = found.substr(0, e);
  }
  bool ended = found == "end of input";
  std::string what = token_zh(found);
  if (!what.empty() && static_cast<unsigned char>(what[0]) < 0x80)
    what.insert(0, " ");  // a sign or a literal: 实际为 }
  std::string want;
  if (expected == "end of input") return at + "JSON 文档已在此前结束，其后不应再有内容，实际还有" + what;
  if (context == "object" && expected == "'}'")
    want = "逗号 , 或 }（对象未结束）";
  else if (context == "array" && expected == "']'")
    want = "逗号 , 或 ]（列表未结束）";
  else if (context == "object key")
    want = "加英文双引号的键名" + std::string(found == "'}'" ? "（最后一项之后不应有逗号）" : "");
  else if (context == "object separator")
    want = "冒号 :（键名之后）";
  else if (!expected.empty())
    want = token_zh(expected);
  if (ended) return at + "内容在此意外结束" + (want.empty() ? "" : "，应为" + want);
  if (want.empty()) return at + "此处不应有" + what;
  return at + "此处应为" + want + "，实际为" + what;
}

class Builder : public nlohmann::json_sax<nlohmann::json> {
 public:
  Builder(std::string_view text, const InputLimits& limits)
      : text_(text), max_depth_(limits.max_depth), max_values_(json_value_limit(limits.max_bytes)) {}

  bool null() override { return put(Value(nullptr)); }
  bool boolean(bool b) override { return put(Value(b)); }
  bool number_integer(number_integer_t n) override { return put(Value(std::int64_t(n))); }
  bool number_unsigned(number_unsigned_t n) override { return number(std::to_string(n)); }
  bool number_float(number_float_t, const string_t& raw) override { return number(raw); }
  bool string(string_t& s) override {
    if (auto d = s.size() == 10 ? Date::parse(s) : std::nullopt) return put(Value(*d));
    return put(Value(std::move(s)));
  }
  bool binary(binary_t&) override { return fail("binary values are not JSON", "二进制值不是 JSON"); }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& k) override {
    Level& top = stack_.back();
    if (!top.keys.insert(k))
      return fail("duplicate key \"" + excerpt(k) + "\" in " + top.path,
                  top.path + " 中的键 \"" + excerpt(k) + "\" 重复");
    top.key = std::move(k);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    if (ex.id == 406) {  // "number overflow parsing '1e400'"
      auto q = what.find('\'');
      std::string number = q == std::string::npos ? "" : what.substr(q + 1, what.find('\'', q + 1) - q - 1);
      return out_of_range(number);
    }
    // nlohmann stops just after the offending character; white space it skipped does not count.
    std::size_t at = std::min(position, text_.size());
    if (at > 0) --at;
    if (at < text_.size() && std::isspace(static_cast<unsigned char>(text_[at]))) {
      while (at > 0 && std::isspace(static_cast<unsigned char>(text_[at - 1]))) --at;
    }
    // Its message reads "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
    // while parsing value - invalid literal; last read: '...'": keep the reason, drop the echo.
    auto column = what.find("column ");
    std::string reason = what.substr(column == std::string::npos ? 0 : what.find(": ", column) + 2);
    if (auto echo = reason.find("; last read: '"); echo != std::string::npos) {
      auto end = reason.find("'; ", echo + 14);
      reason.erase(echo, end == std::string::npos ? std::string::npos : end + 1 - echo);
    }
    bool blank =
        std::all_of(text_.begin(), text_.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    error_at(at, "malformed JSON: " + reason, malformed_zh(reason, blank));
    return false;
  }

  std::optional<Value> result;
  std::vector<Error> errors;

 private:
  struct Level {
    bool is_object;
    std::string path, key;
    std::vector<std::pair<std::string, Value>> members;
    std::vector<Value> items;
    KeySet<std::string> keys = {};
  };

  std::string child_path() const {
    if (stack_.empty()) return "$";
    const Level& top = stack_.back();
    return top.is_object ? top.path + "." + top.key : top.path + "[" + std::to_string(top.items.size()) + "]";
  }

  bool put(Value v) {
    if (++values_ > max_values_)
      return fail("the document holds more than " + std::to_string(max_values_) +
                      " values (one for every 8 bytes of the byte limit)",
                  "文档中的值超过 " + std::to_string(max_values_) + " 个（字节上限每 8 字节对应一个值）", child_path());
    if (stack_.empty()) {
      result = std::move(v);
      return true;
    }
    Level& top = stack_.back();
    if (top.is_object)
      top.members.emplace_back(std::move(top.key), std::move(v));
    else
      top.items.push_back(std::move(v));
    return true;
  }

  bool out_of_range(const std::string& number) {
    return fail("number " + excerpt(number) + " is out of range (" + std::string(number_range) + ")",
                "数字 " + excerpt(number) + " 超出范围（" + std::string(number_range_zh) + "）", child_path());
  }

  bool number(const std::string& raw) {
    auto d = Decimal::parse(raw);
    if (!d) return out_of_range(raw);
    return put(Value(*d));
  }

  bool open(bool is_object) {
    if (stack_.size() >= max_depth_)
      return fail("JSON nested deeper than " + std::to_string(max_depth_) + " levels",
                  "JSON 嵌套超过 " + std::to_string(max_depth_) + " 层", child_path());
    std::string path = child_path();
    stack_.push_back({is_object, std::move(path), {}, {}, {}, {}});
    return true;
  }

  bool close() {
    Level top = std::move(stack_.back());
    stack_.pop_back();
    Value v =
        top.is_object ? Value::object(std::move(top.members), top.path) : Value::list(std::move(top.items), top.path);
    return put(std::move(v));
  }

  bool fail(std::string message, std::string zh, std::string path = {}) {
    Error e;
    e.code = Error::Code::input;
    e.say(std::move(message), std::move(zh));
    e.json_path = path.empty() && !stack_.empty() ? stack_.back().path : path;
    errors.push_back(std::move(e));
    return false;
  }

  void error_at(std::size_t byte, std::string message, std::string zh) {
    Error e;
    e.code = Error::Code::json;
    e.say(std::move(message), std::move(zh));
    e.loc.line = 1;
    e.loc.col = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < byte && i < text_.size(); ++i)
      if (text_[i] == '\n') ++e.loc.line, line_start = i + 1;
    if (line_start < text_.size())
      e.loc.col += int(utf8_length(text_.substr(line_start, std::min(byte, text_.size()) - line_start)));
    std::size_t end = text_.find('\n', line_start);
    e.source_line = std::string(
        text_.substr(line_start, end == std::string_view::npos ? std::string_view::npos : end - line_start));
    errors.push_back(std::move(e));
  }

  std::string_view text_;
  std::size_t max_depth_, max_values_, values_ = 0;
  std::vector<Level> stack_;
};

Value convert(const nlohmann::json& j, const std::string& path) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value(nullptr);
    case nlohmann::json::value_t::boolean: return Value(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: {
      auto d = Decimal::parse(j.dump());
      if (!d)
        throw Error{Error::Code::input,
                    "number " + excerpt(j.dump()) + " is out of range",
                    {},
                    path,
                    {},
                    {},
                    "数字 " + excerpt(j.dump()) + " 超出范围"};
      return Value(*d);
    }
    case nlohmann::json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (auto d = s.size() == 10 ? Date::parse(s) : std::nullopt) return Value(*d);
      return Value(s);
    }
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      for (std::size_t i = 0; i < j.size(); ++i) items.push_back(convert(j[i], path + "[" + std::to_string(i) + "]"));
      return Value::list(std::move(items), path);
    }
    case nlohmann::json::value_t::object: {
      std::vector<std::pair<std::string, Value>> members;
      for (const auto& [k, v] : j.items()) members.emplace_back(k, convert(v, path + "." + k));
      return Value::object(std::move(members), path);
    }
    default: throw Error{Error::Code::input, "binary values are not JSON", {}, path, {}, {}, "二进制值不是 JSON"};
  }
}

DocumentResult require_object(std::optional<Value> root, std::string name) {
  DocumentResult r;
  if (root && root->kind() != Kind::object) {
    r.errors.push_back(
        {Error::Code::input,
         "expected a JSON object at the top of the document, got " + std::string(kind_name(root->kind())),
         {name, 0, 0},  // the file it is in, as every other error of a document names it
         "$",
         {},
         {},
         "文档顶层应为一个 JSON 对象（{…}），实际为" + std::string(kind_name_zh(root->kind()))});
    return r;
  }
  r.document.emplace(Document::make(std::move(*root), std::move(name)));
  return r;
}

}  // namespace

DocumentResult Document::parse(std::string_view json, std::string name, const InputLimits& limits) {
  if (json.size() > limits.max_bytes) {
    DocumentResult r;
    r.errors.push_back(
        {Error::Code::limit,
         "document of " + std::to_string(json.size()) + " bytes is larger than the limit of " +
             std::to_string(limits.max_bytes) + " bytes",
         {name, 0, 0},
         {},
         {},
         {},
         "文档大小 " + std::to_string(json.size()) + " 字节，超过上限 " + std::to_string(limits.max_bytes) + " 字节"});
    return r;
  }
  // JSON text cannot hold a NUL byte, and the parser would take it for the end of the input,
  // silently dropping what follows: refuse it where it stands.
  if (auto nul = json.find('\0'); nul != std::string_view::npos) {
    int line = 1 + int(std::count(json.begin(), json.begin() + std::ptrdiff_t(nul), '\n'));
    auto line_start = json.rfind('\n', nul == 0 ? 0 : nul - 1);
    std::size_t from = line_start == std::string_view::npos || nul == 0 ? 0 : line_start + 1;
    DocumentResult r;
    r.errors.push_back({Error::Code::json,
                        "a NUL byte (U+0000) is not allowed in JSON text",
                        {name, line, 1 + int(utf8_length(json.substr(from, nul - from)))},
                        {},
                        {},
                        {},
                        "JSON 文本中不允许出现空字符（U+0000）"});
    return r;
  }
  // One byte-order mark is skipped; a second (a file saved twice as "UTF-8 with BOM") reads as an
  // invalid value to the parser: say what it is.
  if (json.starts_with("\xEF\xBB\xBF\xEF\xBB\xBF")) {
    DocumentResult r;
    r.errors.push_back({Error::Code::json,
                        "a second byte-order mark (BOM) after the first: the text must start with one at most",
                        {name, 1, 2},
                        {},
                        {},
                        {},
                        "文件开头有第二个字节顺序标记（BOM）：最多只能有一个（请以 UTF-8 重新保存）"});
    return r;
  }
  Builder builder(json, limits);
  bool ok = nlohmann::json::sax_parse(json, &builder, nlohmann::json::input_format_t::json, true, false);
  if (!ok || !builder.result) {
    DocumentResult r;
    r.errors = std::move(builder.errors);
    if (r.errors.empty()) r.errors.push_back({Error::Code::json, "malformed JSON", {}, "$", {}, {}, "JSON 格式有误"});
    for (auto& e : r.errors) e.loc.file = name;
    return r;
  }
  return require_object(std::move(builder.result), std::move(name));
}

DocumentResult detail::document_from_json(const nlohmann::json& json, std::string name) {
  try {
    return require_object(convert(json, "$"), std::move(name));
  } catch (Error& e) {
    DocumentResult r;
    e.loc.file = name;
    r.errors.push_back(std::move(e));
    return r;
  }
}

InputText read_input(const std::string& path, const InputLimits& limits) {
  InputText out;
  auto fail = [&](Error::Code code, std::string message, std::string zh) {
    out.text.clear();
    out.error = Error{code, std::move(message), {path, 0, 0}, {}, {}, {}, std::move(zh)};
    return out;
  };
  auto cannot_read = [&] {  // the system's reason, in both languages
    auto [en, zh] = detail::cannot_read_file(errno);
    return fail(Error::Code::io, std::move(en), std::move(zh));
  };
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return cannot_read();
  struct Close {
    int fd;
    ~Close() {
      if (fd != STDIN_FILENO) ::close(fd);
    }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return cannot_read();
  if (S_ISDIR(st.st_mode))
    return fail(Error::Code::io, "is a folder, not a document (give the JSON files in it)",
                "这是文件夹，不是文档（请给出其中的 JSON 文件）");
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !(path == "-" && (S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode))))
    return fail(Error::Code::io, "is not a regular file or a pipe", "不是普通文件或管道");
  if (path != "-" && S_ISFIFO(st.st_mode)) {
    // Opened without blocking, a named pipe reads as empty until its writer has opened it too:
    // opened again, waiting for the writer, as reading a named pipe does.
    int again = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (again < 0) return cannot_read();
    ::close(fd);
    fd = closer.fd = again;
  } else if (path != "-") {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);  // opened without blocking in case it was a FIFO
  }
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return cannot_read();
    if (n == 0) break;
    if (out.text.size() + std::size_t(n) > limits.max_bytes)
      return fail(Error::Code::limit,
                  "the document is larger than the limit of " + std::to_string(limits.max_bytes) +
                      " bytes (stopped reading there)",
                  "文档超过上限 " + std::to_string(limits.max_bytes) + " 字节（已在此停止读取）");
    out.text.append(buffer, std::size_t(n));
  }
  return out;
}

}  // namespace rulebook
