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
#include "value/key_set.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

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
  bool binary(binary_t&) override { return fail("binary values are not JSON"); }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& k) override {
    Level& top = stack_.back();
    if (!top.keys.insert(k)) return fail("duplicate key \"" + excerpt(k) + "\" in " + top.path);
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
      return fail("number " + excerpt(number) + " is out of range (at most 36 significant digits)", child_path());
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
    error_at(at, "malformed JSON: " + reason);
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
                  child_path());
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

  bool number(const std::string& raw) {
    auto d = Decimal::parse(raw);
    if (!d) return fail("number " + excerpt(raw) + " is out of range (at most 36 significant digits)", child_path());
    return put(Value(*d));
  }

  bool open(bool is_object) {
    if (stack_.size() >= max_depth_)
      return fail("JSON nested deeper than " + std::to_string(max_depth_) + " levels", child_path());
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

  bool fail(std::string message, std::string path = {}) {
    Error e;
    e.code = Error::Code::input;
    e.message = std::move(message);
    e.json_path = path.empty() && !stack_.empty() ? stack_.back().path : path;
    errors.push_back(std::move(e));
    return false;
  }

  void error_at(std::size_t byte, std::string message) {
    Error e;
    e.code = Error::Code::json;
    e.message = std::move(message);
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
      if (!d) throw Error{Error::Code::input, "number " + excerpt(j.dump()) + " is out of range", {}, path, {}};
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
    default: throw Error{Error::Code::input, "binary values are not JSON", {}, path, {}};
  }
}

DocumentResult require_object(std::optional<Value> root, std::string name) {
  DocumentResult r;
  if (root && root->kind() != Kind::object) {
    r.errors.push_back(
        {Error::Code::input,
         "expected a JSON object at the top of the document, got " + std::string(kind_name(root->kind())),
         {},
         "$",
         {}});
    return r;
  }
  r.document.emplace(Document::make(std::move(*root), std::move(name)));
  return r;
}

}  // namespace

DocumentResult Document::parse(std::string_view json, std::string name, const InputLimits& limits) {
  if (json.size() > limits.max_bytes) {
    DocumentResult r;
    r.errors.push_back({Error::Code::limit,
                        "document of " + std::to_string(json.size()) + " bytes is larger than the limit of " +
                            std::to_string(limits.max_bytes) + " bytes",
                        {name, 0, 0},
                        {},
                        {}});
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
                        {}});
    return r;
  }
  Builder builder(json, limits);
  bool ok = nlohmann::json::sax_parse(json, &builder, nlohmann::json::input_format_t::json, true, false);
  if (!ok || !builder.result) {
    DocumentResult r;
    r.errors = std::move(builder.errors);
    if (r.errors.empty()) r.errors.push_back({Error::Code::json, "malformed JSON", {}, "$", {}});
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
  auto fail = [&](Error::Code code, std::string message) {
    out.text.clear();
    out.error = Error{code, std::move(message), {path, 0, 0}, {}, {}};
    return out;
  };
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return fail(Error::Code::io, std::string("cannot read the file: ") + std::strerror(errno));
  struct Close {
    int fd;
    ~Close() {
      if (fd != STDIN_FILENO) ::close(fd);
    }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(Error::Code::io, std::string("cannot read the file: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail(Error::Code::io, "is a folder, not a document (give the JSON files in it)");
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !(path == "-" && (S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode))))
    return fail(Error::Code::io, "is not a regular file or a pipe");
  if (path != "-") ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);  // opened without blocking on a FIFO
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(Error::Code::io, std::string("cannot read the file: ") + std::strerror(errno));
    if (n == 0) break;
    if (out.text.size() + std::size_t(n) > limits.max_bytes)
      return fail(Error::Code::limit, "the document is larger than the limit of " + std::to_string(limits.max_bytes) +
                                          " bytes (stopped reading there)");
    out.text.append(buffer, std::size_t(n));
  }
  return out;
}

}  // namespace rulebook
