#include "schema/schema.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <span>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "expr/source.hpp"
#include "value/credit_code.hpp"
#include "value/same_text.hpp"
#include "value/spelling.hpp"
#include "value/utf8.hpp"

namespace rulebook::schema {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int max_depth = 64;  // $ref chains and nesting: a cyclic schema cannot recurse forever

Error input_error(const std::string& path, std::string message, std::string zh) {
  Error e;
  e.code = Error::Code::input;
  e.say(std::move(message), std::move(zh));
  e.json_path = path;
  return e;
}

// A value as a message shows it: a list or object whose rendering is long is cut short, or each
// level of a deep document that fails would repeat all of what lies below it.
constexpr std::size_t shown_bytes = 200;
std::string shown(const Value& v) { return v.to_display(shown_bytes); }
std::string shown_text(std::string_view text) { return "\"" + excerpt(text, shown_bytes) + "\""; }

std::string describe(const Value& v) { return std::string(kind_name(v.kind())) + " " + shown(v); }

// A JSON Schema type name as a reviewer reads it.
std::string type_zh(std::string_view type) {
  static const std::pair<const char*, const char*> words[] = {{"string", "文本"},  {"number", "数字"},
                                                              {"integer", "整数"}, {"boolean", "是/否"},
                                                              {"array", "列表"},   {"object", "对象"}};
  for (const auto& [en, zh] : words)
    if (type == en) return zh;
  return std::string(type);
}

std::string describe_zh(const Value& v) { return std::string(kind_name_zh(v.kind())) + " " + shown(v); }

// JSON Schema's type names as bits, so a value's type is checked without comparing strings.
enum TypeBit : unsigned { t_string = 1, t_number = 2, t_integer = 4, t_boolean = 8, t_array = 16, t_object = 32, t_null = 64 };

unsigned type_bit(const std::string& t) {
  static const std::pair<const char*, TypeBit> names[] = {{"string", t_string},   {"number", t_number},
                                                          {"integer", t_integer}, {"boolean", t_boolean},
                                                          {"array", t_array},     {"object", t_object},
                                                          {"null", t_null}};
  for (const auto& [name, bit] : names)
    if (t == name) return bit;
  return 0;
}

bool has_type(const Value& v, unsigned types) {
  switch (v.kind()) {
    case Kind::string:
    case Kind::date: return types & t_string;
    case Kind::number: return (types & t_number) || ((types & t_integer) && v.as_number().is_integer());
    case Kind::boolean: return types & t_boolean;
    case Kind::list: return types & t_array;
    case Kind::object: return types & t_object;
    case Kind::null: return types & t_null;
    case Kind::unknown: return true;
  }
  return false;
}

constexpr std::size_t max_nesting = 256;  // of a schema file: walk() and dump() recurse

// The offset of the quote that closes the JSON string opening at `open` in `t` (or t.size()): the
// text scanners below step over strings with it, so that a bracket, colon or digit in one is none.
std::size_t string_end(std::string_view t, std::size_t open) {
  std::size_t i = open + 1;
  for (; i < t.size() && t[i] != '"'; ++i)
    if (t[i] == '\\') ++i;
  return std::min(i, t.size());
}

// Where the JSON text `t` first opens a list or object more than max_nesting levels deep, found
// before parsing, so that nothing that deep is built: walk() and dump() recurse.
std::optional<std::size_t> too_deep(std::string_view t) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '"') {
      i = string_end(t, i);
    } else if (c == '[' || c == '{') {
      if (++depth > max_nesting) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

// JSON Pointer's escapes for one step.
std::string pointer_step(std::string_view key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

// A member whose name its object has already: JSON keeps the last, and which one the author
// meant is unclear.
struct Repeated {
  std::string pointer;  ///< its JSON Pointer
  std::size_t key;      ///< which member name of the text it is, counting from 0
};

// The offset of the `nth` member name of the JSON text `t` (its opening quote): in valid JSON, a
// string followed by a colon.
std::size_t key_offset(std::string_view t, std::size_t nth) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '"') continue;
    std::size_t start = i;
    i = string_end(t, i);
    std::size_t after = t.find_first_not_of(" \t\r\n", i + 1);
    if (after != std::string_view::npos && t[after] == ':' && nth-- == 0) return start;
  }
  return 0;
}

// The member names of the JSON text `t`, as key_offset() finds them.
std::size_t member_names(std::string_view t) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '"') continue;
    i = string_end(t, i);
    std::size_t after = t.find_first_not_of(" \t\r\n", i + 1);
    count += after != std::string_view::npos && t[after] == ':';
  }
  return count;
}

// The members of every object in `j` (its depth is bounded: too_deep() passed).
std::size_t members(const json& j) {
  std::size_t count = j.is_object() ? j.size() : 0;
  if (j.is_structured())
    for (const auto& v : j) count += members(v);
  return count;
}

// `e` as nlohmann/json holds what it parses (a whole number at least 0 unsigned, one below 0
// signed, the last member of a name written twice); false for a -0, which nlohmann reads as the
// integer 0.
bool as_json(simdjson::dom::element e, json& out) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::ARRAY: {
      out = json::array();
      const simdjson::dom::array list = e.get_array().value_unsafe();  // a copy: the result is a temporary
      for (auto v : list)
        if (!as_json(v, out.emplace_back())) return false;
      return true;
    }
    case T::OBJECT: {
      out = json::object();
      const simdjson::dom::object members = e.get_object().value_unsafe();
      for (auto [k, v] : members)
        if (!as_json(v, out[std::string(k)])) return false;
      return true;
    }
    case T::INT64: {
      std::int64_t i = e.get_int64().value_unsafe();
      out = i < 0 ? json(i) : json(static_cast<std::uint64_t>(i));
      return true;
    }
    case T::UINT64: out = e.get_uint64().value_unsafe(); return true;
    case T::DOUBLE: {
      double d = e.get_double().value_unsafe();
      out = d;
      return !(d == 0 && std::signbit(d));
    }
    case T::STRING: out = std::string(e.get_string().value_unsafe()); return true;
    case T::BOOL: out = e.get_bool().value_unsafe(); return true;
    case T::NULL_VALUE: out = nullptr; return true;
  }
  return false;
}

// `text` parsed (discarded when it is no JSON), and the first member whose name is repeated.
json parse_schema(const std::string& text, std::optional<Repeated>& twice) {
  // simdjson reads the text in a fifth of nlohmann's time; what it refuses (or holds otherwise)
  // nlohmann reads, as before, and is then refused with nlohmann's reasons.
  json plain;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const simdjson::padded_string padded(text);
  if (parser.parse(padded).get(root) != simdjson::SUCCESS || !as_json(root, plain))
    plain = json::parse(text, nullptr, false);
  // JSON keeps one member of a name written twice: an object holding fewer members than the text
  // writes names has one. Only then is the text read again following each object's names, which
  // costs a parse and a half.
  if (plain.is_discarded() || members(plain) == member_names(text)) return plain;
  struct Open {
    bool list;
    std::size_t index = 0;  // of a list's next element
    std::string key;        // an object's last member name
    std::set<std::string> names;
  };
  std::vector<Open> open;
  std::size_t keys = 0;
  auto pointer = [&] {
    std::string out;
    for (const auto& o : open) out += "/" + (o.list ? std::to_string(o.index) : pointer_step(o.key));
    return out;
  };
  auto done = [&] {  // a value ended: a list's next one is the next index
    if (!open.empty() && open.back().list) ++open.back().index;
  };
  json j = json::parse(
      text,
      [&](int, json::parse_event_t event, json& parsed) {
        using E = json::parse_event_t;
        switch (event) {
          case E::object_start: open.push_back({false, 0, {}, {}}); break;
          case E::array_start: open.push_back({true, 0, {}, {}}); break;
          case E::object_end:
          case E::array_end:
            open.pop_back();
            done();
            break;
          case E::key:
            open.back().key = parsed.get<std::string>();
            if (!open.back().names.insert(open.back().key).second && !twice) twice = Repeated{pointer(), keys};
            ++keys;
            break;
          case E::value: done(); break;
        }
        return true;
      },
      false);
  return j;
}

// The numbers in the JSON text `t` that nlohmann/json may not hold exactly (it reads a fraction
// as a double, a whole number as a 64-bit integer): a fraction or exponent of more than 15
// significant digits, a whole number of more than 19. `"minimum": 5.00000000000000000001` would
// be read as 5. Each as (which number of the text it is, counting from 0; its offset).
std::vector<std::pair<std::size_t, std::size_t>> inexact_numbers(std::string_view t) {
  std::vector<std::pair<std::size_t, std::size_t>> found;
  std::size_t count = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '"') i = string_end(t, i);
    if (c != '-' && (c < '0' || c > '9')) continue;
    std::size_t start = i, digits = 0, first = std::string_view::npos, last = 0;
    bool whole = true;
    for (i += c == '-'; i < t.size(); ++i) {
      char d = t[i];
      if (d >= '0' && d <= '9') {
        if (d != '0') {
          if (first == std::string_view::npos) first = digits;
          last = digits;
        }
        ++digits;
      } else if (d == '.') {
        whole = false;
      } else {
        break;
      }
    }
    long exponent = 0;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
      whole = false;
      bool negative = t[++i] == '-';  // INVARIANT: the text parsed as JSON: a digit or sign follows
      for (i += t[i] == '-' || t[i] == '+'; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i)
        exponent = std::min(exponent * 10 + (t[i] - '0'), 100'000L);
      if (negative) exponent = -exponent;
    }
    std::size_t significant = first == std::string_view::npos ? 0 : last - first + 1;
    // A whole number fits 64 bits up to 19 digits, 18 below zero; a double's exponent stops near 308.
    if (whole ? digits > (c == '-' ? 18u : 19u) : significant > 15 || exponent > 300 || exponent < -300)
      found.emplace_back(count, start);
    ++count;
    --i;  // the loop's ++i reads the character after the number
  }
  return found;
}

// A URI fragment's %XX escapes decoded ("#/$defs/a%20b" names "a b").
std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto digit = [&](std::size_t k) { return k < s.size() && std::isxdigit(static_cast<unsigned char>(s[k])); };
    if (s[i] == '%' && digit(i + 1) && digit(i + 2)) {
      out += char(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The formats rulebook checks; any other is an annotation, as JSON Schema says.
bool checked_format(const json& f) { return f == "date" || f == "credit-code"; }

// The form a keyword's value must have to be checked: one of another form ("maximum": "500000")
// would be read past, and let pass what it was written to refuse.
enum class Form { any, number, size, text, texts, list, schemas, schema, boolean, schema_map, names_map, types };

// Every keyword rulebook knows, in one table: what it does, the form of its value, what the
// value holds, and whether it judges a list or object whole (the fast reader then keeps it all).
enum class Role {
  annotation,   // says nothing of whether a value is valid ($ref is followed, and says nothing itself)
  checked,      // checked: `format` only for the formats checked_format() names, the others annotate
  unsupported,  // an assertion rulebook does not check: refused at load, or a document would pass it
};
enum class Holds { schemas, data, schema_map };  // data: a `$ref` in it is no keyword
struct Keyword {
  std::string_view name;
  Role role;
  Form form = Form::any;
  Holds holds = Holds::schemas;
  bool whole = false;
};
constexpr Role note = Role::annotation, checked = Role::checked, unsupported = Role::unsupported;
constexpr Keyword keywords[] = {
    // sorted by name (a static_assert below), for a binary search
    {"$anchor", note},
    {"$comment", note},
    {"$defs", note, Form::any, Holds::schema_map},
    {"$dynamicAnchor", note},
    {"$dynamicRef", unsupported},
    {"$id", note},
    {"$recursiveAnchor", note},
    {"$recursiveRef", unsupported},
    {"$ref", note, Form::text},
    {"$schema", note},
    {"$vocabulary", note},
    {"additionalItems", unsupported},
    {"additionalProperties", checked, Form::schema, Holds::schemas, true},
    {"allOf", checked, Form::schemas},
    {"anyOf", checked, Form::schemas},
    {"const", checked, Form::any, Holds::data, true},
    {"contains", unsupported, Form::any, Holds::schemas, true},
    {"contentEncoding", note},
    {"contentMediaType", note},
    {"contentSchema", note},
    {"default", note, Form::any, Holds::data},
    {"definitions", note, Form::any, Holds::schema_map},
    {"dependencies", unsupported},
    {"dependentRequired", checked, Form::names_map, Holds::schemas, true},
    {"dependentSchemas", unsupported, Form::any, Holds::schema_map, true},
    {"deprecated", note},
    {"description", note},
    {"else", checked, Form::schema},
    {"enum", checked, Form::list, Holds::data, true},
    {"examples", note, Form::any, Holds::data},
    {"exclusiveMaximum", checked, Form::number},
    {"exclusiveMinimum", checked, Form::number},
    {"format", checked, Form::text},
    {"if", checked, Form::schema, Holds::schemas, true},
    {"items", checked, Form::schema},
    {"maxContains", unsupported},
    {"maxItems", checked, Form::size},
    {"maxLength", checked, Form::size},
    {"maxProperties", checked, Form::size, Holds::schemas, true},
    {"maximum", checked, Form::number},
    {"minContains", unsupported},
    {"minItems", checked, Form::size},
    {"minLength", checked, Form::size},
    {"minProperties", checked, Form::size, Holds::schemas, true},
    {"minimum", checked, Form::number},
    {"multipleOf", checked, Form::number},
    {"not", checked, Form::schema, Holds::schemas, true},
    {"oneOf", checked, Form::schemas},
    {"pattern", checked, Form::text},
    {"patternProperties", unsupported, Form::any, Holds::schema_map, true},
    {"prefixItems", unsupported, Form::any, Holds::schemas, true},
    {"properties", checked, Form::schema_map, Holds::schema_map},
    {"propertyNames", checked, Form::schema, Holds::schemas, true},
    {"readOnly", note},
    {"required", checked, Form::texts},
    {"then", checked, Form::schema},
    {"title", note},
    {"type", checked, Form::types},
    {"unevaluatedItems", unsupported},
    {"unevaluatedProperties", unsupported, Form::any, Holds::schemas, true},
    {"uniqueItems", checked, Form::boolean, Holds::schemas, true},
    {"writeOnly", note},
};
static_assert(std::is_sorted(std::begin(keywords), std::end(keywords),
                             [](const Keyword& a, const Keyword& b) { return a.name < b.name; }));

// An author's own annotation: named x-…, as OpenAPI names its extensions.
bool own_annotation(std::string_view k) { return k.starts_with("x-"); }

const Keyword* keyword(std::string_view k) {
  auto at = std::lower_bound(std::begin(keywords), std::end(keywords), k,
                             [](const Keyword& a, std::string_view name) { return a.name < name; });
  return at != std::end(keywords) && at->name == k ? at : nullptr;
}

// Keywords that say nothing of whether a value is valid. (`format` is one too, but for the
// formats checked.)
bool annotation(std::string_view k) {
  const Keyword* kw = keyword(k);
  return own_annotation(k) || (kw && kw->role == Role::annotation);
}

// Keywords whose values are data, not schemas: a `$ref` in them is no keyword.
bool data_keyword(std::string_view k) {
  const Keyword* kw = keyword(k);
  return own_annotation(k) || (kw && kw->holds == Holds::data);
}

// Keywords whose values map names to schemas: the names are no keywords (a field may be
// called `default`).
bool schema_map(std::string_view k) {
  const Keyword* kw = keyword(k);
  return kw && kw->holds == Holds::schema_map;
}

// Whether the JSON Pointer `pointer`, read from a schema down, leads into a value that is no
// schema: an annotation's or data's ("/examples/0", "/x-lib/m", "/enum/1"). walk() reads none of
// them as schemas, so a $ref there names no schema either.
bool into_data(std::string_view pointer) {
  enum { schema, map, list } at = schema;  // what the next step names a member of
  for (std::size_t from = 1; from <= pointer.size();) {
    std::size_t to = std::min(pointer.find('/', from), pointer.size());
    std::string step(pointer.substr(from, to - from));
    for (auto [escaped, plain] : {std::pair{"~1", "/"}, std::pair{"~0", "~"}})
      for (auto i = step.find(escaped); i != std::string::npos; i = step.find(escaped, i + 1))
        step.replace(i, 2, plain);
    from = to + 1;
    if (at != schema) {  // a name in properties or $defs, an index in allOf: a schema
      at = schema;
    } else if (schema_map(step)) {
      at = map;
    } else if (annotation(step) || data_keyword(step)) {
      return true;
    } else {
      const Keyword* kw = keyword(step);
      at = kw && kw->form == Form::schemas ? list : schema;
    }
  }
  return false;
}

// A member's name as a message shows it: cut at 100 bytes, control characters escaped ("\n").
std::string shown_key(std::string_view k) {
  std::string shown = json(excerpt(k, 100)).dump(-1, ' ', false, json::error_handler_t::replace);
  return shown.substr(1, shown.size() - 2);
}

// A SAX reader that takes every event in and keeps nothing: the readers below override what
// they look at.
struct Skim : nlohmann::json_sax<json> {
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

// Where and why `text`, which is no JSON, stops being JSON: a syntax error, or a number past a
// double's range (1e400), which nlohmann/json reports as another kind of error.
std::pair<std::size_t, std::string> why_not_json(const std::string& text) {
  struct Locator : Skim {
    std::size_t at = 0;
    std::string why = "not JSON";
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
      at = position ? position - 1 : 0;
      why = e.what();
      if (auto end = why.find("] "); why.starts_with("[json.exception") && end != std::string::npos)
        why.erase(0, end + 2);
      if (why.starts_with("parse error at line "))  // the line and column are said as ours
        if (auto colon = why.find(": "); colon != std::string::npos) why.erase(0, colon + 2);
      return false;
    }
  } locator;
  json::sax_parse(text, &locator);
  return {std::min(locator.at, text.size()), locator.why};
}

// For each number of the JSON schema text `t`, in order: whether the schema compares or checks it. One in an
// annotation's value ("examples", "default", "x-…") says nothing of whether a document is valid, and may have any
// digits. Read as walk() reads schemas: the members of $defs and properties are schemas, const and enum data.
std::vector<bool> compared_numbers(const std::string& t) {
  struct Reader : Skim {
    enum Place { schema, map, compared, ignored };
    std::vector<std::pair<Place, bool>> open;  // each open object or array: its place, whether a list
    Place next = schema;                       // the place of an object's next member (after its key)
    std::vector<bool> found;
    Place here() const { return !open.empty() && open.back().second ? open.back().first : next; }
    bool enter(bool list) {
      open.emplace_back(here(), list);
      return true;
    }
    bool leave() {
      open.pop_back();
      return true;
    }
    bool key(string_t& k) override {
      switch (open.back().first) {
        case schema: next = schema_map(k) ? map : annotation(k) ? ignored : data_keyword(k) ? compared : schema; break;
        case map: next = schema; break;
        default: next = open.back().first;
      }
      return true;
    }
    bool number() {
      found.push_back(here() != ignored);
      return true;
    }
    bool number_float(number_float_t, const string_t&) override { return number(); }
    bool number_integer(number_integer_t) override { return number(); }
    bool number_unsigned(number_unsigned_t) override { return number(); }
    bool start_object(std::size_t) override { return enter(false); }
    bool start_array(std::size_t) override { return enter(true); }
    bool end_object() override { return leave(); }
    bool end_array() override { return leave(); }
  } reader;
  json::sax_parse(t, &reader);
  return reader.found;
}

// The known keyword `k` is likely a slip for (maxlength, minimun, requried), or "".
std::string meant(std::string_view k) {
  auto lower = [](std::string_view t) {
    std::string out(t);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (const auto& kw : keywords)
    if (lower(kw.name) == lower(k)) return std::string(kw.name);
  static const auto names = [] {
    std::vector<std::string_view> all;
    for (const auto& kw : keywords) all.push_back(kw.name);
    return all;
  }();
  return k.size() > 64 ? "" : nearest(k, names);
}

// Calls f on the schema `j` and every schema within it, outside data values.
void walk(const json& j, const std::function<void(const json&)>& f) {
  if (j.is_array()) {
    for (const auto& v : j) walk(v, f);
    return;
  }
  if (!j.is_object()) return;
  f(j);
  for (const auto& [k, v] : j.items())
    if (schema_map(k) && v.is_object())
      for (const auto& sub : v) walk(sub, f);
    else if (!data_keyword(k))
      walk(v, f);
}

}  // namespace

std::shared_ptr<const Schema> Schema::load(const fs::path& file, std::vector<Error>& errors) {
  auto schema = std::make_shared<Schema>();
  schema->root_ = fs::weakly_canonical(file);
  std::vector<fs::path> todo{schema->root_};
  bool ok = true;
  while (!todo.empty()) {
    fs::path p = todo.back();
    todo.pop_back();
    if (schema->files_.count(p)) continue;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream buffer;  // read in blocks: an istreambuf_iterator's char at a time cost more than parsing
    buffer << in.rdbuf();
    std::string text = std::move(buffer).str();
    // A file refused: why, and where in its text when that is known (the text is then moved into
    // the error's source: each call is followed by `continue`).
    auto refuse = [&](Error::Code code, std::string en, std::string zh, std::optional<std::size_t> at) {
      Error e;
      e.code = code;
      e.say(std::move(en), std::move(zh));
      e.loc.file = p.string();
      if (at) {
        expr::SourceFile source(p.string(), std::move(text));
        e.loc = source.locate(*at);
        e.source_line = std::string(source.line(e.loc.line));
      }
      errors.push_back(std::move(e));
      ok = false;
    };
    if (!in) {
      refuse(Error::Code::io, "cannot read the schema", "无法读取数据模式文件", std::nullopt);
      continue;
    }
    if (auto nul = text.find('\0'); nul != std::string::npos) {  // nlohmann/json would end the text there
      refuse(Error::Code::schema, "a NUL byte (U+0000) is not allowed in JSON text",
             "JSON 文本中不允许出现 NUL 字节（U+0000）", nul);
      continue;
    }
    if (auto deep = too_deep(text)) {
      refuse(Error::Code::limit, "the schema nests more than " + std::to_string(max_nesting) + " levels deep",
             "数据模式文件嵌套超过 " + std::to_string(max_nesting) + " 层", deep);
      continue;
    }
    std::optional<Repeated> twice;
    json j = parse_schema(text, twice);
    if (j.is_discarded()) {  // read again, only now, for where and why
      auto [at, why] = why_not_json(text);
      refuse(Error::Code::schema, "the schema is not valid JSON: " + why, "数据模式文件不是有效的 JSON（" + why + "）",
             at);
      continue;
    }
    if (twice) {
      std::string where = p.filename().string() + "#" + twice->pointer;
      refuse(Error::Code::schema,
             where +
                 ": this member's name is written twice in one object: JSON keeps the last, and which one was meant "
                 "is unclear",
             where + "：同一对象中此成员名出现两次：JSON 只保留后者，原意不明", key_offset(text, twice->key));
      continue;
    }
    // Rare, so found by a second reading only when the text has one.
    std::optional<std::size_t> inexact_at;
    if (auto inexact = inexact_numbers(text); !inexact.empty()) {
      auto compared = compared_numbers(text);
      for (auto [nth, offset] : inexact)
        if (!inexact_at && (nth >= compared.size() || compared[nth])) inexact_at = offset;
    }
    if (inexact_at) {
      refuse(Error::Code::schema,
             "this number has more digits than a schema's numbers keep exactly (15 significant, or a whole number of "
             "19): write it with fewer",
             "此数字的位数超过数据模式可精确保存的位数（15 位有效数字，或 19 位整数）：请减少位数", inexact_at);
      continue;
    }
    const json& stored = schema->files_.emplace(p, std::move(j)).first->second;  // where it stays
    walk(stored, [&](const json& s) {
      for (const char* anchor : {"$anchor", "$dynamicAnchor"})  // a plain $ref reaches both by name
        if (auto a = s.find(anchor); a != s.end() && a->is_string())
          if (auto [at, added] = schema->anchors_.try_emplace({p, a->get<std::string>()}, &s);
              !added && at->second != &s)
            schema->unchecked_.push_back(
                {&s,
                 "`" + std::string(anchor) + "` \"" + excerpt(a->get_ref<const std::string&>(), 100) +
                     "\" names two schema objects of this file: a $ref to it is ambiguous",
                 "`" + std::string(anchor) + "` \"" + excerpt(a->get_ref<const std::string&>(), 100) +
                     "\" 在本文件中指向两个模式对象：引用它的 $ref 有歧义"});
      if (auto r = s.find("$ref"); r != s.end() && r->is_string()) {
        std::string ref = *r;
        std::string target = ref.substr(0, ref.find('#'));
        if (target.empty()) return;
        auto [at, added] = schema->ref_files_.try_emplace({p, target});
        if (added) at->second = fs::weakly_canonical(p.parent_path() / target);
        todo.push_back(at->second);
      }
    });
  }
  if (!ok) return nullptr;
  auto root = schema->files_.find(schema->root_);
  schema->root_rule_ = schema->compile({&root->second, &root->first});
  std::size_t before = errors.size();
  schema->refuse_unchecked(errors);
  if (errors.size() > before) return nullptr;
  schema->refuse_blowups(errors);
  if (errors.size() > before) return nullptr;  // one error is enough
  Expansion reads;
  schema->reads_of({&root->second, &root->first}, schema->reads_, reads);
  if (reads.places > max_places) {
    Error e;
    e.code = Error::Code::limit;
    e.say("the schema's parts expand to more than " + std::to_string(max_places) +
              " fields (a part used twice at each of many levels)",
          "数据模式展开后超过 " + std::to_string(max_places) + " 个字段（同一部分在多层中被重复引用）");
    e.loc.file = root->first.string();
    errors.push_back(std::move(e));
    return nullptr;
  }
  return schema;
}

namespace {

// The JSON Pointer of `target` within `j`, or nullopt (depth is bounded: too_deep() passed).
std::optional<std::string> pointer_to(const json& j, const json* target) {
  if (&j == target) return "";
  if (j.is_object())
    for (const auto& [k, v] : j.items())
      if (auto p = pointer_to(v, target)) return "/" + pointer_step(k) + *p;
  if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto p = pointer_to(j[i], target)) return "/" + std::to_string(i) + *p;
  return std::nullopt;
}

}  // namespace

std::pair<std::string, std::string> Schema::place_of(const json* node) const {
  for (const auto& [file, j] : files_)
    if (auto p = pointer_to(j, node)) return {file.string(), file.filename().string() + "#" + *p};
  return {root_.string(), "?"};
}

Schema::Node Schema::resolve(Node n, int depth) const {
  auto r = n.json->is_object() ? n.json->find("$ref") : n.json->end();
  if (r == n.json->end() || !r->is_string() || depth > max_depth) return n;
  std::string ref = *r;
  auto hash = ref.find('#');
  std::string target = ref.substr(0, hash),
              pointer = hash == std::string::npos ? "" : percent_decoded(ref.substr(hash + 1));
  auto file = files_.find(*n.file);
  if (!target.empty()) {
    auto known = ref_files_.find({*n.file, target});
    file =
        files_.find(known != ref_files_.end() ? known->second : fs::weakly_canonical(n.file->parent_path() / target));
  }
  if (file == files_.end()) return {nullptr, nullptr};
  if (!pointer.empty() && pointer[0] != '/') {  // "#name": an $anchor's
    auto named = anchors_.find({file->first, pointer});
    return named == anchors_.end() ? Node{nullptr, nullptr} : resolve({named->second, &file->first}, depth + 1);
  }
  if (into_data(pointer)) return {nullptr, nullptr};
  try {
    const json& at = pointer.empty() ? file->second : file->second.at(json::json_pointer(pointer));
    return resolve({&at, &file->first}, depth + 1);
  } catch (const json::exception&) {
    return {nullptr, nullptr};
  }
}

namespace {

// Whether `v` is the JSON value `j`, as JSON Schema compares them: 1.50 is 1.5, members in any
// order, a date is its YYYY-MM-DD text; but a null member is absent, as everywhere in rulebook. Depth is bounded:
// too_deep() passed the schema.
bool same(const json& j, const Value& v) {
  switch (v.kind()) {
    case Kind::null: return j.is_null();
    case Kind::boolean: return j.is_boolean() && j.get<bool>() == v.as_bool();
    case Kind::number: {
      auto d = j.is_number() ? Decimal::parse(j.dump()) : std::nullopt;
      return d && *d == v.as_number();
    }
    case Kind::string: return j.is_string() && j.get_ref<const std::string&>() == v.as_string();
    case Kind::date: return j.is_string() && j.get_ref<const std::string&>() == v.as_date().to_string();
    case Kind::list: {
      const auto& items = v.as_list().items;
      return j.is_array() && j.size() == items.size() &&
             std::equal(items.begin(), items.end(), j.begin(),
                        [](const Value& x, const json& y) { return same(y, x); });
    }
    case Kind::object: {  // a null member is an absent one, on either side
      if (!j.is_object()) return false;
      std::size_t present = 0;
      for (const auto& [k, m] : v.as_object().members) {
        if (m.kind() == Kind::null) continue;
        auto at = j.find(k);
        if (at == j.end() || !same(*at, m)) return false;
        ++present;
      }
      return present == std::size_t(std::count_if(j.begin(), j.end(), [](const json& x) { return !x.is_null(); }));
    }
    case Kind::unknown: return false;
  }
  return false;
}

}  // namespace

// The keywords of one schema object, read once at load: validation then never looks a
// keyword up by name, and builds a JSON path only for a value that breaks a rule.
struct Schema::Rule {
  struct Literal {  // an `enum` or `const` value, compared the way JSON Schema compares them
    Kind kind;
    std::string text;  // strings (dates match their YYYY-MM-DD text)
    bool boolean = false;
    Decimal number;
    const json* whole = nullptr;  // a list or object, in the schema's files (never modified after load)
    bool matches(const Value& v) const {
      switch (v.kind()) {
        case Kind::string: return kind == Kind::string && same_text(text, v.as_string());
        case Kind::date: return kind == Kind::string && text == v.as_date().to_string();
        case Kind::boolean: return kind == Kind::boolean && boolean == v.as_bool();
        case Kind::number: return kind == Kind::number && number == v.as_number();
        case Kind::list:
        case Kind::object: return whole && same(*whole, v);
        default: return false;
      }
    }
  };
  bool never = false;    ///< the schema `false`: no value passes
  bool asserts = false;  ///< has a keyword that can refuse a value (`{}` and `true` have none)
  std::vector<const Rule*> all_of, any_of, one_of;
  const Rule *not_rule = nullptr, *if_rule = nullptr, *then_rule = nullptr, *else_rule = nullptr;
  const Rule* property_names = nullptr;  ///< judges each member's name, as a string
  unsigned types = 0;              // TypeBits; 0: any type
  std::string want, want_zh;       // "number or string", "数字或文本", for messages
  bool has_enum = false, has_const = false;
  std::vector<Literal> enum_values;
  std::string enum_list, enum_list_zh, const_text;  // enum_list_zh: the choices by their labels
  std::optional<Literal> const_value;
  std::optional<std::size_t> min_length, max_length, min_items, max_items;
  const Pattern* pattern = nullptr;
  std::string pattern_text, pattern_says, pattern_says_zh;              ///< the pattern, and what it asks for in words
  enum class Format { none, date, credit_code } format = Format::none;  ///< the formats checked; others are not
  std::optional<Decimal> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  bool unique_items = false;
  std::optional<std::size_t> min_properties, max_properties;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;  ///< member: those it requires
  std::vector<std::pair<std::string, const Rule*>> properties;
  bool no_additional = false;
  const Rule* additional = nullptr;
  std::vector<std::string> required;
  const Rule* items = nullptr;

  const Rule* property(std::string_view name) const {
    for (const auto& [k, r] : properties)
      if (k == name) return r;
    return nullptr;
  }
  /// Whether other rules judge the value this one judges (allOf, anyOf, oneOf, not, if/then/else).
  bool has_parts() const { return !all_of.empty() || !any_of.empty() || !one_of.empty() || not_rule || if_rule; }
  /// The rules applied to the value this one judges.
  template <class F>
  void each_applied(F&& f) const {
    for (const auto* parts : {&all_of, &any_of, &one_of})
      for (const Rule* r : *parts) f(*r);
    for (const Rule* r : {not_rule, if_rule, then_rule, else_rule})
      if (r) f(*r);
  }
};

namespace {

std::optional<Schema::Rule::Literal> literal(const json& j) {
  Schema::Rule::Literal l{Kind::null, {}, false, {}};
  if (j.is_array() || j.is_object()) {
    l.kind = j.is_array() ? Kind::list : Kind::object;
    l.whole = &j;
  } else if (j.is_string()) {
    l.kind = Kind::string;
    l.text = j.get<std::string>();
  } else if (j.is_boolean()) {
    l.kind = Kind::boolean;
    l.boolean = j.get<bool>();
  } else if (auto d = j.is_number() ? Decimal::parse(j.dump()) : std::nullopt) {
    l.kind = Kind::number;
    l.number = *d;
  }
  return l;
}

// A whole number, 0 or more, as JSON Schema counts it (2.0 and 1e3 are whole).
bool is_size(const json& v) {
  if (v.is_number_unsigned()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return d >= 0 && d <= 1e15 && d == double(std::size_t(d));
}

std::optional<std::size_t> size_keyword(const json& s, const char* key) {
  auto m = s.find(key);
  if (m == s.end() || !is_size(*m)) return std::nullopt;
  return m->is_number_unsigned() ? m->get<std::size_t>() : std::size_t(m->get<double>());
}

std::optional<Decimal> number_keyword(const json& s, const char* key) {
  auto b = s.find(key);
  if (b == s.end() || !b->is_number()) return std::nullopt;
  return Decimal::parse(b->dump());
}

// The format `s` names, of those checked (any other is not).
Schema::Rule::Format format_of(const json& s) {
  using Format = Schema::Rule::Format;
  auto f = s.find("format");
  if (f == s.end() || !checked_format(*f)) return Format::none;
  return *f == "date" ? Format::date : Format::credit_code;
}

// What a keyword's value of `form` is said to be, in English and Chinese.
std::pair<const char*, const char*> form_text(Form form) {
  switch (form) {
    case Form::number: return {"a number of at most 36 digits", "不超过 36 位的数字"};
    case Form::size: return {"a whole number, 0 or more", "非负整数"};
    case Form::text: return {"a text", "文本"};
    case Form::texts: return {"a list of names", "字段名列表"};
    case Form::list: return {"a list", "列表"};
    case Form::schemas: return {"a list of schemas", "模式列表"};
    case Form::schema: return {"a schema, true or false", "模式、true 或 false"};
    case Form::boolean: return {"true or false", "true 或 false"};
    case Form::schema_map: return {"an object of schemas", "由模式组成的对象"};
    case Form::names_map: return {"an object of lists of names", "由字段名列表组成的对象"};
    case Form::types: return {"a type's name or a list of them", "类型名或类型名列表"};
    case Form::any: break;
  }
  return {"anything", "任意值"};
}

bool has_form(const json& v, Form form) {
  auto schema = [](const json& x) { return x.is_object() || x.is_boolean(); };
  auto names = [](const json& x) {
    return x.is_array() && std::all_of(x.begin(), x.end(), [](const json& n) { return n.is_string(); });
  };
  switch (form) {
    case Form::any: return true;
    case Form::number: return v.is_number() && Decimal::parse(v.dump());  // 1e40 is past exact numbers
    case Form::size: return is_size(v);
    case Form::text: return v.is_string();
    case Form::texts: return names(v);
    case Form::list: return v.is_array();
    case Form::schemas: return v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), schema);
    case Form::schema: return schema(v);
    case Form::boolean: return v.is_boolean();
    case Form::schema_map: return v.is_object() && std::all_of(v.begin(), v.end(), schema);
    case Form::names_map: return v.is_object() && std::all_of(v.begin(), v.end(), names);
    case Form::types: return v.is_string() || (names(v) && !v.empty());
  }
  return false;
}

}  // namespace

// Where a value is, as a chain of steps rendered only for an error message.
struct Schema::Where {
  const Where* parent;
  std::string_view key;
  std::size_t index;
  bool is_index;
  std::string render() const {
    if (!parent) return "$";
    return parent->render() + (is_index ? "[" + std::to_string(index) + "]" : "." + std::string(key));
  }
};

// Every schema object the root reaches is compiled once, whatever reaches it: a work list, not
// recursion, as a chain of $refs may be long. (Compiled by recursion cut 64 levels down, a part
// first reached that deep was kept cut short, and a shallow $ref to it then validated nothing.)
const Schema::Rule* Schema::compile(Node root) {
  std::vector<std::pair<Node, Rule*>> todo;
  const Rule* rule = rule_for(root, todo);
  while (!todo.empty()) {
    auto [n, r] = todo.back();
    todo.pop_back();
    compile(n, *r, todo);
  }
  return rule;
}

// The rule of `n`, made empty and put on `todo` the first time `n` is reached.
const Schema::Rule* Schema::rule_for(Node n, std::vector<std::pair<Node, Rule*>>& todo) {
  static const Rule any;
  static const Rule nothing = [] {
    Rule r;
    r.never = r.asserts = true;
    return r;
  }();
  const json* written = n.json;
  // Beside a $ref, only annotations: the $ref is followed, and an assertion there would be
  // ignored (JSON Schema 2020-12 applies it, draft 7 does not: either reading surprises someone).
  if (auto r = written->is_object() ? written->find("$ref") : written->end(); r != written->end() && r->is_string())
    for (const auto& [k, v] : written->items())
      if (!annotation(k) && !(k == "format" && !checked_format(v)))
        unchecked_.push_back(
            {written,
             "`" + shown_key(k) + "` beside `$ref` (" + r->get<std::string>() +
                 ") would not be checked: put the $ref in an allOf beside it",
             "`" + k + "` 与 `$ref`（" + r->get<std::string>() + "）并列时不会被校验：请把 $ref 放进与之并列的 allOf"});
  n = resolve(n);
  if (!n.json) {  // a $ref to nothing would check nothing
    std::string ref = written->value("$ref", "");
    unchecked_.push_back({written, "`$ref` names no schema: " + ref, "`$ref` 指向的模式不存在：" + ref});
    return &any;
  }
  if (auto r = n.json->find("$ref"); n.json->is_object() && r != n.json->end() && r->is_string()) {
    unchecked_.push_back(
        {written,
         "`$ref` leads through more than " + std::to_string(max_depth) +
             " $refs in a row (round a ring of them, or down a chain that long): " + r->get<std::string>(),
         "`$ref` 连续经过超过 " + std::to_string(max_depth) + " 个 $ref（成环，或链过长）：" + r->get<std::string>()});
    return &any;
  }
  if (*n.json == json(false)) return &nothing;
  if (!n.json->is_object()) {
    // Not reached by a $ref, a schema of the wrong form is said by its keyword's form (has_form).
    if (!n.json->is_boolean() && (n.json != written || written == &files_.at(root_)))
      unchecked_.push_back({written, "a schema is an object, true or false, not " + excerpt(n.json->dump(), 100),
                            "模式应为对象、true 或 false，而非 " + excerpt(n.json->dump(), 100)});
    return &any;
  }
  auto [at, fresh] = compiled_.try_emplace(n.json, nullptr);
  if (fresh) {
    Rule& r = rules_.emplace_back();
    at->second = &r;
    todo.emplace_back(n, &r);
  }
  return at->second;
}

void Schema::compile(Node n, Rule& r, std::vector<std::pair<Node, Rule*>>& todo) {
  const json& s = *n.json;
  auto child = [&](const json& sub) { return rule_for(Node{&sub, n.file}, todo); };
  // A number no document's number can equal (past 36 digits, as 1e40 is) would match nothing.
  auto out_of_range = [&](std::string_view k, const json& v) {
    std::vector<const json*> values{&v};  // within lists and objects too (too_deep() bounded their depth)
    while (!values.empty()) {
      const json* x = values.back();
      values.pop_back();
      for (const auto& inner : *x)
        if (x->is_structured()) values.push_back(&inner);
      if (x->is_number() && !Decimal::parse(x->dump())) {
        unchecked_.push_back(
            {&s,
             "`" + std::string(k) + "` holds " + x->dump() +
                 ", past the numbers a document holds (36 digits): no value can match it",
             "`" + std::string(k) + "` 含有 " + x->dump() + "，超出文档数字的范围（36 位）：没有值能与之相符"});
        return;
      }
    }
  };
  // Assertions rulebook cannot check: refused at load (Schema::refuse_unchecked).
  auto unknown = [&](const std::string& k) {
    unchecked_.push_back(
        {&s,
         "rulebook does not check `" + k +
             "`, and a document it should refuse would pass: say it with the keywords rulebook "
             "checks (README, Limits), or in a rule",
         "rulebook 不校验 `" + k + "`，本应拒绝的文档将被放行：请改用 rulebook 支持的关键字，或写成规则"});
  };
  for (const auto& [k, v] : s.items()) {
    const Keyword* kw = keyword(k);
    if (own_annotation(k)) continue;
    if (!kw) {  // JSON Schema lets an unknown keyword annotate; written as a slip, it would check nothing
      std::string slip = meant(k);
      std::string shown = shown_key(k);
      std::string hint = slip.empty() ? "" : " (did you mean `" + slip + "`?)";
      std::string hint_zh = slip.empty() ? "" : "（是否应为 `" + slip + "`？）";
      unchecked_.push_back(
          {&s,
           "`" + shown + "` is no JSON Schema keyword" + hint +
               ": as written, it checks nothing; name an annotation of your own x-…",
           "`" + shown + "` 不是 JSON Schema 关键字" + hint_zh + "：如此写法不起校验作用；自定义注释请以 x- 开头命名"});
    } else if (kw->role == Role::unsupported) {
      unknown(k);
    } else if ((k == "then" || k == "else") && !s.contains("if")) {
      unchecked_.push_back(
          {&s, "`" + k + "` without `if` beside it checks nothing", "`" + k + "` 旁边没有 `if`，不起校验作用"});
    } else if (k == "items" && v.is_array()) {
      unknown("items (a list)");
    } else if (!has_form(v, kw->form)) {
      auto [en, zh] = form_text(kw->form);
      unchecked_.push_back(
          {&s, "`" + k + "` must be " + en + ", not " + excerpt(v.dump(), 100) + ": as written, it checks nothing",
           "`" + k + "` 应为" + zh + "，而非 " + excerpt(v.dump(), 100) + "：如此写法不起校验作用"});
    }
  }
  if (auto all = s.find("allOf"); all != s.end() && all->is_array())
    for (const auto& sub : *all) r.all_of.push_back(child(sub));
  if (auto alts = s.find("anyOf"); alts != s.end() && alts->is_array())
    for (const auto& sub : *alts) r.any_of.push_back(child(sub));
  if (auto alts = s.find("oneOf"); alts != s.end() && alts->is_array())
    for (const auto& sub : *alts) r.one_of.push_back(child(sub));
  if (auto t = s.find("type"); t != s.end()) {
    std::vector<std::string> names;
    if (t->is_string()) names.push_back(*t);
    if (t->is_array())
      for (const auto& x : *t)
        if (x.is_string()) names.push_back(x);
    for (const auto& type : names) {
      if (!type_bit(type))
        unchecked_.push_back({&s, "`type` names no JSON type: \"" + excerpt(type, 100) + "\"",
                              "`type` 不是 JSON 类型：\"" + excerpt(type, 100) + "\""});
      r.types |= type_bit(type);
      if (type == "null") continue;
      r.want += (r.want.empty() ? "" : " or ") + type;
      r.want_zh += (r.want_zh.empty() ? "" : "或") + type_zh(type);
    }
  }
  if (auto e = s.find("enum"); e != s.end() && e->is_array()) {
    r.has_enum = true;
    // A reviewer reads the choices by their words (x-enum-labels), as the desk and the sheet
    // template offer them: 发明专利、实用新型专利, not "invention", "utility_model".
    auto labels = s.find("x-enum-labels");
    for (const auto& item : *e) {
      out_of_range("enum", item);
      if (auto l = literal(item)) r.enum_values.push_back(*l);
      r.enum_list += (r.enum_list.empty() ? "" : ", ") + item.dump();
      const json* zh = nullptr;
      if (labels != s.end() && labels->is_object() && item.is_string())
        if (auto l = labels->find(item.get<std::string>()); l != labels->end() && l->is_object())
          if (auto z = l->find("zh"); z != l->end() && z->is_string()) zh = &*z;
      r.enum_list_zh += (r.enum_list_zh.empty() ? "" : "、") + (zh ? zh->get<std::string>() : item.dump());
    }
  }
  if (auto c = s.find("const"); c != s.end()) {
    out_of_range("const", *c);
    r.has_const = true;
    r.const_value = literal(*c);
    r.const_text = c->dump();
  }
  r.min_length = size_keyword(s, "minLength");
  r.max_length = size_keyword(s, "maxLength");
  r.min_items = size_keyword(s, "minItems");
  r.max_items = size_keyword(s, "maxItems");
  if (auto p = s.find("pattern"); p != s.end() && p->is_string()) {
    r.pattern_text = *p;
    auto known = patterns_.find(r.pattern_text);
    if (known == patterns_.end()) {
      auto compiled = Pattern::compile(r.pattern_text);
      if (auto* pattern = std::get_if<Pattern>(&compiled))
        known = patterns_.emplace(r.pattern_text, std::move(*pattern)).first;
      else
        unchecked_.push_back(
            {&s, "invalid pattern " + r.pattern_text + " (" + std::get<PatternRefusal>(compiled).why + ")",
             "格式规则无效：" + r.pattern_text + "（" + std::get<PatternRefusal>(compiled).why_zh + "）"});
    }
    if (known != patterns_.end()) r.pattern = &known->second;
    // What the pattern asks for in words ("x-pattern-text": {"zh", "en"}): a reviewer reads the
    // message, not the regular expression.
    if (auto t = s.find("x-pattern-text"); t != s.end() && t->is_object())
      for (auto [lang, into] : {std::pair{"en", &r.pattern_says}, std::pair{"zh", &r.pattern_says_zh}})
        if (auto v = t->find(lang); v != t->end() && v->is_string()) *into = v->get<std::string>();
  }
  r.format = format_of(s);
  r.minimum = number_keyword(s, "minimum");
  r.maximum = number_keyword(s, "maximum");
  r.exclusive_minimum = number_keyword(s, "exclusiveMinimum");
  r.exclusive_maximum = number_keyword(s, "exclusiveMaximum");
  if (auto props = s.find("properties"); props != s.end() && props->is_object())
    for (const auto& [k, v] : props->items()) r.properties.emplace_back(k, child(v));
  if (auto extra = s.find("additionalProperties"); extra != s.end()) {
    r.no_additional = *extra == json(false);
    if (extra->is_object()) r.additional = child(*extra);
  }
  if (auto req = s.find("required"); req != s.end() && req->is_array())
    for (const auto& x : *req)
      if (x.is_string()) r.required.push_back(x);
  if (auto items = s.find("items"); items != s.end() && !items->is_array()) r.items = child(*items);
  if (auto no = s.find("not"); no != s.end()) r.not_rule = child(*no);
  if (auto names = s.find("propertyNames"); names != s.end()) r.property_names = child(*names);
  if (auto cond = s.find("if"); cond != s.end()) {
    r.if_rule = child(*cond);
    if (auto then = s.find("then"); then != s.end()) r.then_rule = child(*then);
    if (auto otherwise = s.find("else"); otherwise != s.end()) r.else_rule = child(*otherwise);
  }
  r.multiple_of = number_keyword(s, "multipleOf");
  if (r.multiple_of && (r.multiple_of->is_zero() || r.multiple_of->is_negative())) {
    unchecked_.push_back({&s, "`multipleOf` must be more than 0", "`multipleOf` 应大于 0"});
    r.multiple_of.reset();
  }
  r.unique_items = s.value("uniqueItems", json(false)) == json(true);
  r.min_properties = size_keyword(s, "minProperties");
  r.max_properties = size_keyword(s, "maxProperties");
  if (auto deps = s.find("dependentRequired"); deps != s.end() && deps->is_object())
    for (const auto& [member, needs] : deps->items()) {
      auto& d = r.dependent_required.emplace_back(member, std::vector<std::string>{});
      if (needs.is_array())
        for (const auto& x : needs)
          if (x.is_string()) d.second.push_back(x);
    }
  has_parts_ = has_parts_ || r.has_parts();
  r.asserts = std::any_of(s.items().begin(), s.items().end(), [](const auto& kv) { return !annotation(kv.key()); });
}

// One validate() call's memory of the rules applied to its lists and objects. A value reached
// by one rule twice at one depth (allOf: [#, #] in additionalProperties) is judged once, or the
// rules applied would double at each level below; whether a value passes an anyOf or oneOf
// alternative is kept, or alternatives sharing a recursive part would try it 2^levels times.
struct Schema::Seen {
  using Key = std::tuple<const Rule*, const Value*, int>;
  struct Hash {
    std::size_t operator()(const Key& k) const {
      auto [r, v, d] = k;
      return std::hash<const void*>()(r) * 31 + std::hash<const void*>()(v) * 7 + std::size_t(d);
    }
  };
  // INVARIANT: no list or object lies at two places of one document (Document::parse never
  // shares one; an embedder's Document::make could, and then the second place's errors would go
  // unsaid, as the same rule judges the same value there the same way).
  std::unordered_set<Key, Hash> applied;        // their errors are in this check()'s `out`
  std::unordered_map<Key, Trial, Hash>* trials;  // the whole call's
};

void Schema::refuse_unchecked(std::vector<Error>& errors) const {
  // The first max_errors: finding where each is searches the files, and one typo copied to
  // 20,000 fields must not take a minute to be said 20,000 times.
  for (const auto& [node, why, why_zh] : std::span(unchecked_).first(std::min(unchecked_.size(), max_errors))) {
    auto [file, place] = place_of(node);
    Error e;
    e.code = Error::Code::schema;
    e.say(place + ": " + why, place + "：" + why_zh);
    e.loc.file = file;
    errors.push_back(std::move(e));
  }
  if (unchecked_.size() > max_errors) {
    Error e;
    e.code = Error::Code::limit;
    e.say(
        "more than " + std::to_string(max_errors) + " such errors in the schema; the first " +
            std::to_string(max_errors) + " are listed",
        "数据模式中此类错误超过 " + std::to_string(max_errors) + " 处，仅列出前 " + std::to_string(max_errors) + " 处");
    e.loc.file = root_.string();
    errors.push_back(std::move(e));
  }
}

// check() applies to one value a rule, its allOf, anyOf, oneOf, not and if parts, theirs, and so
// on: parts that lead back to themselves would apply without end, and parts shared at many
// levels 2^levels times; both are refused.
void Schema::refuse_blowups(std::vector<Error>& errors) const {
  auto refuse = [&](const Rule& rule, const std::string& why, const std::string& why_zh) {
    auto node = std::find_if(compiled_.begin(), compiled_.end(), [&](const auto& c) { return c.second == &rule; });
    auto [file, place] = place_of(node->first);
    Error e;
    e.code = Error::Code::limit;
    e.say(place + ": " + why, place + "：" + why_zh);
    e.loc.file = file;
    errors.push_back(std::move(e));
  };
  // A ring of parts ({"allOf": [{"$ref": "#"}]}) applies itself to the same value without end.
  // Searched depth first without recursion: a chain of parts may be long.
  std::map<const Rule*, int> state;  // 1: on the path searched, 2: done
  for (const Rule& start : rules_) {
    if (state[&start]) continue;
    std::vector<std::pair<const Rule*, std::vector<const Rule*>>> path;
    auto enter = [&](const Rule& r) {
      state[&r] = 1;
      std::vector<const Rule*> next;
      r.each_applied([&](const Rule& sub) { next.push_back(&sub); });
      path.emplace_back(&r, std::move(next));
    };
    enter(start);
    while (!path.empty()) {
      auto& [r, next] = path.back();
      if (next.empty()) {
        state[r] = 2;
        path.pop_back();
        continue;
      }
      const Rule* sub = next.back();
      next.pop_back();
      if (state[sub] == 1) {
        refuse(*sub,
               "allOf, anyOf, oneOf, not and if here lead back here for the same value, and validation would never "
               "end",
               "此处的 allOf、anyOf、oneOf、not、if 对同一个值又引回此处，校验将永不结束");
        return;
      }
      if (!state[sub]) enter(*sub);
    }
  }
  constexpr std::size_t max_applied = 10'000;
  std::map<std::pair<const Rule*, int>, std::size_t> memo;
  std::function<std::size_t(const Rule&, int)> applied = [&](const Rule& r, int depth) -> std::size_t {
    if (depth > max_depth) return 0;
    if (auto m = memo.find({&r, depth}); m != memo.end()) return m->second;
    std::size_t n = 1;
    r.each_applied([&](const Rule& sub) { n = std::min(max_applied + 1, n + applied(sub, depth + 1)); });
    return memo[{&r, depth}] = n;
  };
  for (const Rule& rule : rules_) {  // in the order compiled: the root first
    if (applied(rule, 0) <= max_applied) continue;
    refuse(rule,
           "allOf, anyOf, oneOf, not and if here apply more than " + std::to_string(max_applied) +
               " schemas to one value (parts that lead back to themselves, or reuse parts at many levels)",
           "此处的 allOf、anyOf、oneOf、not、if 对同一个值套用超过 " + std::to_string(max_applied) +
               " 个模式（引用回自身，或在多层中重复引用同一部分），无法完成校验");
    return;  // the first is enough: those that reach it (and it reaches) would say the same
  }
}

std::vector<Error> Schema::validate(const Value& document) const {
  std::vector<Error> out;
  Where root{nullptr, {}, 0, false};
  // Without allOf, anyOf or oneOf a value is reached by one rule at a time: nothing to remember.
  std::unordered_map<Seen::Key, Trial, Seen::Hash> trials;
  Seen seen{{}, &trials};
  if (root_rule_) check(*root_rule_, document, root, out, 0, has_parts_ ? &seen : nullptr);
  if (out.size() > max_errors) {  // check() stops at one past the limit
    out.resize(max_errors);
    out.push_back(input_error("$",
                              "more errors were found; only the first " + std::to_string(max_errors) + " are listed",
                              "还有更多错误，仅列出前 " + std::to_string(max_errors) + " 项"));
  }
  return out;
}

namespace {

// Whether x is an integer times m (m > 0): the quotient is exact and whole. One too large to
// compute (past 36 digits) is said not to be, so that the document is refused, never let through.
bool multiple_of(const Decimal& x, const Decimal& m) {
  try {
    Decimal q = x / m;
    return !q.is_approximate() && q.is_integer();
  } catch (const DecimalError&) {
    return false;
  }
}

// A hash under which values equal as JSON Schema compares them (Value's ==: 1.50 is 1.5,
// members in any order) are equal.
std::size_t hash_of(const Value& v) {
  std::hash<std::string_view> text;
  switch (v.kind()) {
    case Kind::number: {
      std::string t = v.as_number().to_string();
      if (t.find('.') != std::string::npos) {  // "1.50", "10.0": "1.5", "10"
        t.erase(t.find_last_not_of('0') + 1);
        if (t.back() == '.') t.pop_back();
      }
      return text(t);
    }
    case Kind::string: return text(v.as_string());
    case Kind::date: return text(v.as_date().to_string());
    case Kind::boolean: return v.as_bool() ? 1 : 2;
    case Kind::list: {
      std::size_t h = 3;
      for (const auto& item : v.as_list().items) h = h * 31 + hash_of(item);
      return h;
    }
    case Kind::object: {
      // A sum, so that the same members in another order hash alike; each member mixed, so that
      // swapping two members' values ({"a": 1, "b": 2}, {"a": 2, "b": 1}) does not.
      std::size_t h = 4;
      for (const auto& [k, m] : v.as_object().members)
        h += (text(k) ^ (hash_of(m) * 0x9E3779B97F4A7C15ull)) * 0xFF51AFD7ED558CCDull;
      return h;
    }
    default: return 5;
  }
}

// The first two equal elements of `items`, found by hashing: a list may hold a million.
std::optional<std::pair<std::size_t, std::size_t>> first_repeat(const std::vector<Value>& items) {
  std::unordered_multimap<std::size_t, std::size_t> seen;
  for (std::size_t j = 0; j < items.size(); ++j) {
    if (items[j].kind() == Kind::null) continue;  // a null is no value, and never a schema error
    std::size_t key = hash_of(items[j]);
    auto [from, to] = seen.equal_range(key);
    for (auto it = from; it != to; ++it)
      if (items[it->second] == items[j]) return std::pair{it->second, j};
    seen.emplace(key, j);
  }
  return std::nullopt;
}

// The keywords of `s` that judge a value by itself, not by its members or items: fail(message,
// zh) for each one `v` breaks; false when its type is wrong (then nothing else applies). check()
// reports what this finds and scalar_passes() only asks, so both judge a value the same way.
template <class Fail>
bool value_keywords(const Schema::Rule& s, const Value& v, Fail&& fail) {
  if (s.never) {
    fail("no value is allowed here, and there is " + describe(v), "此处不应有值，实际为" + describe_zh(v));
    return false;
  }
  if (s.types && !has_type(v, s.types)) {
    fail("expected " + s.want + ", got " + describe(v), "应为" + s.want_zh + "，实际为" + describe_zh(v));
    return false;
  }
  if (s.has_enum && std::none_of(s.enum_values.begin(), s.enum_values.end(), [&](auto& l) { return l.matches(v); }))
    fail("expected one of " + s.enum_list + ", got " + shown(v),
         "应为以下之一：" + s.enum_list_zh + "，实际为 " + shown(v));
  if (s.has_const && !(s.const_value && s.const_value->matches(v)))
    fail("expected " + s.const_text + ", got " + shown(v), "应为 " + s.const_text + "，实际为 " + shown(v));

  // A date is a string of format date: its text is spelled out only for a rule that reads it.
  using Format = Schema::Rule::Format;
  bool text_rules = s.min_length || s.max_length || s.pattern || s.format == Format::credit_code ||
                    (s.format == Format::date && v.kind() != Kind::date);
  if (text_rules && (v.kind() == Kind::string || v.kind() == Kind::date)) {
    std::string date;  // a date's text; a string's is used where it is
    const std::string& text = v.kind() == Kind::string ? v.as_string() : (date = v.as_date().to_string());
    if (s.min_length && utf8_length(text) < *s.min_length)
      fail("shorter than " + std::to_string(*s.min_length) + " characters",
           "不得少于 " + std::to_string(*s.min_length) + " 个字符");
    if (s.max_length && utf8_length(text) > *s.max_length)
      fail("longer than " + std::to_string(*s.max_length) + " characters",
           "不得多于 " + std::to_string(*s.max_length) + " 个字符");
    if (s.pattern && !s.pattern->within_bound(text))
      fail("too long (" + std::to_string(text.size()) + " bytes) to be matched against the pattern " + s.pattern_text,
           "长度为 " + std::to_string(text.size()) + " 字节，过长，无法按格式 " + s.pattern_text + " 校验");
    else if (s.pattern && !s.pattern->search(text))
      fail(shown_text(text) +
               (s.pattern_says.empty() ? " does not match the pattern " + s.pattern_text : " is not " + s.pattern_says),
           "的值 " + shown_text(text) +
               (s.pattern_says_zh.empty() ? " 格式不符（应符合 " + s.pattern_text + "）"
                                          : " 不符合要求：" + s.pattern_says_zh));
    if (s.format == Format::date && v.kind() != Kind::date && !Date::parse(text))  // a text place holds a string
      fail("expected a date YYYY-MM-DD, got " + shown_text(text),
           "应为日期（年-月-日，如 2025-03-01），实际为 " + shown_text(text));
    if (s.format == Format::credit_code && !credit_code_valid(text))
      fail(shown_text(text) + " is not a valid 统一社会信用代码 (GB 32100-2015: 18 characters, check character)",
           "的值 " + shown_text(text) + " 不是有效的统一社会信用代码（GB 32100-2015：18 位，含校验码）");
  }
  if (v.kind() == Kind::number) {
    const Decimal& x = v.as_number();
    if (s.minimum && x < *s.minimum)
      fail(x.to_string() + " is less than " + s.minimum->to_string(),
           "为 " + x.to_string() + "，不得小于 " + s.minimum->to_string());
    if (s.maximum && x > *s.maximum)
      fail(x.to_string() + " is more than " + s.maximum->to_string(),
           "为 " + x.to_string() + "，不得大于 " + s.maximum->to_string());
    if (s.exclusive_minimum && x <= *s.exclusive_minimum)
      fail(x.to_string() + " is not more than " + s.exclusive_minimum->to_string(),
           "为 " + x.to_string() + "，须大于 " + s.exclusive_minimum->to_string());
    if (s.exclusive_maximum && x >= *s.exclusive_maximum)
      fail(x.to_string() + " is not less than " + s.exclusive_maximum->to_string(),
           "为 " + x.to_string() + "，须小于 " + s.exclusive_maximum->to_string());
    if (s.multiple_of && !multiple_of(x, *s.multiple_of))
      fail(x.to_string() + " is not a multiple of " + s.multiple_of->to_string(),
           "为 " + x.to_string() + "，应为 " + s.multiple_of->to_string() + " 的整数倍");
  }
  return true;
}

}  // namespace

namespace {
bool is_container(const Value& v) { return v.kind() == Kind::list || v.kind() == Kind::object; }
}  // namespace

Schema::Trial Schema::judge(const Rule& s, const Value& v, const Where& where, int depth, Seen* seen) const {
  // One fault found decides; past the levels, what is not found may still be there.
  auto verdict = [](const std::vector<Error>& found) {
    bool fault = std::any_of(found.begin(), found.end(), [](const Error& e) { return e.code != Error::Code::limit; });
    return fault ? Trial::fails : found.empty() ? Trial::passes : Trial::unknowable;
  };
  std::vector<Error> trial;
  if (!seen || !is_container(v)) {  // a scalar: the rules its parts apply are bounded at load
    check(s, v, where, trial, depth, nullptr);
    return verdict(trial);
  }
  Seen::Key key{&s, &v, depth};
  if (auto t = seen->trials->find(key); t != seen->trials->end()) return t->second;
  Seen inner{{}, seen->trials};
  check(s, v, where, trial, depth, &inner);
  return (*seen->trials)[key] = verdict(trial);
}

void Schema::check(const Rule& s, const Value& v, const Where& where, std::vector<Error>& out, int depth,
                   Seen* seen) const {
  if (v.kind() == Kind::null || v.is_unknown() || out.size() > max_errors) return;
  if (depth > max_depth) {  // said, not passed: a value left unchecked would pass what the schema refuses
    if (s.asserts) {
      Error e = input_error(where.render(),
                            "lies deeper than the " + std::to_string(max_depth) +
                                " schema levels validation follows, and cannot be checked",
                            "「" + label(where.render(), "zh").value_or(where.render()) + "」位于数据模式第 " +
                                std::to_string(max_depth) + " 层以下，无法校验");
      e.code = Error::Code::limit;
      out.push_back(std::move(e));
    }
    return;
  }
  if (seen && is_container(v) && !seen->applied.insert({&s, &v, depth}).second) return;
  // The Chinese wording names the field by its label ("合同金额（第1项）：应为数字…").
  auto named = [&](const std::string& path) { return "「" + label(path, "zh").value_or(path) + "」"; };
  auto fail = [&](std::string message, const std::string& zh) {
    std::string path = where.render();
    std::string name = named(path);
    out.push_back(input_error(path, std::move(message), name + zh));
  };

  // How many members or elements there are, against the least and most allowed.
  auto counted = [&](std::size_t n, const std::optional<std::size_t>& least, const std::optional<std::size_t>& most,
                     const std::string& unit, const std::string& unit_zh) {
    if (least && n < *least)
      fail("fewer than " + std::to_string(*least) + unit, "至少应有 " + std::to_string(*least) + unit_zh);
    if (most && n > *most)
      fail("more than " + std::to_string(*most) + unit, "至多只能有 " + std::to_string(*most) + unit_zh);
  };

  // A part judged on trial that reaches too deep decides nothing: said, as check() says it below.
  auto too_deep = [&] {
    Error e = input_error(where.render(),
                          "cannot be checked: its anyOf, oneOf, not or if reach past the " + std::to_string(max_depth) +
                              " schema levels validation follows",
                          named(where.render()) + "无法校验：其 anyOf、oneOf、not 或 if 超出数据模式的 " +
                              std::to_string(max_depth) + " 层");
    e.code = Error::Code::limit;
    out.push_back(std::move(e));
  };
  auto trial = [&](const Rule& part) { return judge(part, v, where, depth + 1, seen); };

  for (const Rule* sub : s.all_of) check(*sub, v, where, out, depth + 1, seen);
  if (s.not_rule) {
    Trial t = trial(*s.not_rule);
    if (t == Trial::unknowable)
      too_deep();
    else if (t == Trial::passes)
      fail(describe(v) + " has a form the schema rules out (not)", "的值 " + shown(v) + " 属于不允许的形式");
  }
  if (s.if_rule) {
    Trial t = trial(*s.if_rule);
    const Rule* branch = t == Trial::passes ? s.then_rule : s.else_rule;
    if (t == Trial::unknowable)
      too_deep();
    else if (branch)
      check(*branch, v, where, out, depth + 1, seen);
  }
  for (const auto* alts : {&s.any_of, &s.one_of}) {
    if (alts->empty()) continue;
    int matches = 0;
    bool unknowable = false;
    for (const Rule* sub : *alts) {
      Trial t = trial(*sub);
      matches += t == Trial::passes;
      unknowable = unknowable || t == Trial::unknowable;
    }
    if (unknowable)
      too_deep();
    else if (matches == 0 || (alts == &s.one_of && matches > 1))
      fail(describe(v) + (matches ? " matches more than one" : " matches none") + " of the allowed forms",
           "的值 " + shown(v) + (matches ? " 同时符合多种允许的形式" : " 不符合任何允许的形式"));
  }

  if (!value_keywords(s, v, fail)) return;
  if (v.kind() == Kind::object) {
    const Object& o = v.as_object();
    for (const auto& [key, member] : o.members) {
      if (out.size() > max_errors) return;
      if (member.kind() == Kind::null) continue;  // an absent field: neither unknown nor misnamed
      Where at{&where, key, 0, false};
      if (s.property_names) {  // a name is a string, or a date as a value's text is read (format: date)
        auto day = Date::parse(key);
        check(*s.property_names, day ? Value(*day) : Value(key), at, out, depth + 1, nullptr);
      }
      if (const Rule* p = s.property(key))
        check(*p, member, at, out, depth + 1, seen);
      else if (s.no_additional)
        out.push_back(
            input_error(at.render(), "unknown field '" + key + "'",
                        (where.parent ? named(where.render()) + "中" : std::string()) + "有未知字段「" + key + "」"));
      else if (s.additional)
        check(*s.additional, member, at, out, depth + 1, seen);
    }
    auto missing = [&](const std::string& r, const std::string& because, const std::string& because_zh) {
      std::string path = where.render();
      std::string field = label(path + "." + r, "zh").value_or(r);
      out.push_back(input_error(
          path, "missing required field '" + r + "'" + because,
          (where.parent ? named(path) + "中" : std::string()) + "缺少必填项「" + field + "」" + because_zh));
    };
    for (const auto& r : s.required)
      if (!o.find(r)) missing(r, "", "");
    for (const auto& [given, needs] : s.dependent_required)
      if (const Value* g = o.find(given); g && g->kind() != Kind::null)  // a null is an absent field
        for (const auto& r : needs)
          if (!o.find(r))
            missing(r, " (required where '" + given + "' is given)",
                    "（填写了「" + label(where.render() + "." + given, "zh").value_or(given) + "」时必填）");
    if (s.min_properties || s.max_properties)  // null members are absent fields
      counted(std::size_t(std::count_if(o.members.begin(), o.members.end(),
                                        [](const auto& m) { return m.second.kind() != Kind::null; })),
              s.min_properties, s.max_properties, " fields", " 个字段");
  }
  if (v.kind() == Kind::list) {
    const List& l = v.as_list();
    counted(l.items.size(), s.min_items, s.max_items, " elements", " 项");
    if (s.unique_items)
      if (auto twice = first_repeat(l.items))
        fail("elements " + std::to_string(twice->first + 1) + " and " + std::to_string(twice->second + 1) +
                 " are the same, and the elements must differ",
             "第 " + std::to_string(twice->first + 1) + " 项与第 " + std::to_string(twice->second + 1) +
                 " 项重复，各项不得相同");
    if (s.items)
      for (std::size_t i = 0; i < l.items.size() && out.size() <= max_errors; ++i) {
        Where at{&where, {}, i, true};
        check(*s.items, l.items[i], at, out, depth + 1, seen);
      }
  }
}

// The walk's side of validate(): check() above, split at the lists' and objects' edges. A
// rule's allOf parts are in force where it is, one level deeper; anyOf and oneOf, and
// everything on a scalar, are check() itself.
namespace {

// Calls f(rule, depth) for `s` and its allOf parts within max_depth; false when f is, or when
// a part past max_depth asserts anything (check() says it cannot be checked).
template <class F>
bool each_part(const Schema::Rule& s, int depth, F&& f) {
  if (depth > max_depth) return !s.asserts;
  for (const Schema::Rule* sub : s.all_of)
    if (!each_part(*sub, depth + 1, f)) return false;
  return f(s, depth);
}

template <class F>
bool each_part(const Schema::Rules& at, F&& f) {
  return std::all_of(at.begin(), at.end(), [&](const Schema::InForce& r) { return each_part(*r.rule, r.depth, f); });
}

// What check() says of any list or object: its type. A keyword that needs the list or object
// whole (enum, const, anyOf, oneOf, not, if, uniqueItems, minProperties, maxProperties,
// dependentRequired, propertyNames) does not pass here: validate() judges it.
bool container_passes(const Schema::Rule& s, unsigned type) {
  return !s.never && (!s.types || (s.types & type)) && !s.has_enum && !s.has_const && s.any_of.empty() &&
         s.one_of.empty() && !s.not_rule && !s.if_rule && !s.unique_items && !s.min_properties && !s.max_properties &&
         s.dependent_required.empty() && !s.property_names;
}

}  // namespace

void Schema::root_rules(Rules& out) const {
  if (root_rule_) out.push_back({root_rule_, 0});
}

namespace {

// Keeps each rule in force at one depth once, in order, from `out[from]` on: check() judges a
// value by a rule at a depth once, and one in force twice (allOf: [#, #]) would be twice as often
// in force at each level below. Hashed past a few, as a schema may put thousands at one place.
struct InForceHash {
  std::size_t operator()(const std::pair<const Schema::Rule*, int>& r) const {
    return std::hash<const void*>()(r.first) * 31 + std::size_t(r.second);
  }
};

void keep_once(Schema::Rules& out, std::size_t from) {
  std::unordered_set<std::pair<const Schema::Rule*, int>, InForceHash> seen;
  std::size_t kept = from;
  for (std::size_t i = from; i < out.size(); ++i) {
    const Schema::InForce r = out[i];
    bool again = out.size() - from <= 16
                     ? std::any_of(out.begin() + std::ptrdiff_t(from), out.begin() + std::ptrdiff_t(kept),
                                   [&](const Schema::InForce& k) { return k.rule == r.rule && k.depth == r.depth; })
                     : !seen.insert({r.rule, r.depth}).second;
    if (!again) out[kept++] = r;
  }
  out.resize(kept);
}

}  // namespace

bool Schema::member_rules(const Rules& at, std::string_view key, Rules& out) const {
  std::size_t from = out.size();
  bool allowed = each_part(at, [&](const Rule& s, int depth) {
    if (const Rule* p = s.property(key))
      out.push_back({p, depth + 1});
    else if (s.no_additional)
      return false;
    else if (s.additional)
      out.push_back({s.additional, depth + 1});
    return true;
  });
  keep_once(out, from);
  return allowed;
}

void Schema::item_rules(const Rules& at, Rules& out) const {
  std::size_t from = out.size();
  each_part(at, [&](const Rule& s, int depth) {
    if (s.items) out.push_back({s.items, depth + 1});
    return true;
  });
  keep_once(out, from);
}

Schema::ObjectKeywords Schema::object_keywords(const Rules& at) const {
  ObjectKeywords k;
  k.allows = each_part(at, [&](const Rule& s, int) {
    for (const auto& r : s.required)
      if (std::find(k.required.begin(), k.required.end(), r) == k.required.end()) k.required.push_back(r);
    return container_passes(s, t_object);
  });
  return k;
}

bool Schema::list_passes(const Rules& at, std::size_t size) const {
  return each_part(at, [&](const Rule& s, int) {
    return container_passes(s, t_array) && !(s.min_items && size < *s.min_items) &&
           !(s.max_items && size > *s.max_items);
  });
}

bool Schema::scalar_passes(const Rules& at, const Value& v) const {
  if (v.kind() == Kind::null || v.is_unknown()) return true;  // as check() says
  return std::all_of(at.begin(), at.end(), [&](const InForce& r) {
    const Rule& s = *r.rule;
    if (r.depth > max_depth) return !s.asserts;  // as check() says
    if (s.has_parts()) {  // parts: check() walks them
      Where root{nullptr, {}, 0, false};
      std::vector<Error> found;  // stays empty, unallocated, for a value that passes
      check(s, v, root, found, r.depth, nullptr);
      return found.empty();
    }
    bool passes = true;
    value_keywords(s, v, [&](const std::string&, const std::string&) { passes = false; });
    return passes;
  });
}

Schema::ScalarCheck Schema::scalar_check(const Rules& at) const {
  ScalarCheck c;
  c.schema_ = this;
  auto bit = [](Kind k) { return 1u << unsigned(k); };
  c.kinds_ = bit(Kind::boolean) | bit(Kind::number) | bit(Kind::date) | bit(Kind::string);
  for (const InForce& r : at) {
    const Rule& s = *r.rule;
    bool integer_only = (s.types & t_integer) && !(s.types & t_number);  // depends on the number's value
    bool plain = r.depth <= max_depth && !s.never && !s.has_parts() && !s.has_const && !integer_only && !s.pattern &&
                 !s.min_length && !s.max_length && !s.multiple_of && s.format != Rule::Format::credit_code;
    if (!plain) {  // judged as scalar_passes() judges it
      c.at_ = at;
      return c;
    }
    if (s.types) {
      unsigned allowed = 0;
      if (s.types & t_boolean) allowed |= bit(Kind::boolean);
      if (s.types & t_number) allowed |= bit(Kind::number);
      if (s.types & t_string) allowed |= bit(Kind::date) | bit(Kind::string);
      c.kinds_ &= allowed;
    }
    if (s.has_enum) c.enums_.push_back(&s);
    if (s.minimum || s.maximum || s.exclusive_minimum || s.exclusive_maximum) c.bounds_.push_back(&s);
    c.dated_ = c.dated_ || s.format == Rule::Format::date;
  }
  c.general_ = false;
  return c;
}

// As value_keywords() judges, for the keywords scalar_check() lets through.
bool Schema::ScalarCheck::passes(const Value& v) const {
  if (general_) return schema_->scalar_passes(at_, v);
  if (v.kind() == Kind::null || v.is_unknown()) return true;
  if (!(kinds_ & (1u << unsigned(v.kind())))) return false;
  for (const Rule* s : enums_)
    if (std::none_of(s->enum_values.begin(), s->enum_values.end(), [&](auto& l) { return l.matches(v); })) return false;
  if (dated_ && v.kind() == Kind::string && !Date::parse(v.as_string())) return false;
  if (v.kind() == Kind::number)
    for (const Rule* s : bounds_) {
      const Decimal& x = v.as_number();
      if ((s->minimum && x < *s->minimum) || (s->maximum && x > *s->maximum) ||
          (s->exclusive_minimum && x <= *s->exclusive_minimum) || (s->exclusive_maximum && x >= *s->exclusive_maximum))
        return false;
    }
  return true;
}

std::unique_ptr<ir::Shape> Schema::shape() const {
  auto root = files_.find(root_);
  if (root == files_.end()) return std::make_unique<ir::Shape>();
  Expansion e;
  return shape_of({&root->second, &root->first}, e);
}

namespace {

// Adds `n` to the schema objects being expanded for as long as it lives; `expands` is false
// when `n` is already there, or the expansion has gone too deep or too far.
struct Expanding {
  std::vector<const nlohmann::json*>& within;
  bool expands;
  Expanding(std::vector<const nlohmann::json*>& w, std::size_t& places, std::size_t max_places, const nlohmann::json* n)
      : within(w),
        expands(std::find(w.begin(), w.end(), n) == w.end() && int(w.size()) <= max_depth && ++places <= max_places) {
    if (expands) within.push_back(n);
  }
  ~Expanding() {
    if (expands) within.pop_back();
  }
  Expanding(const Expanding&) = delete;
  Expanding& operator=(const Expanding&) = delete;
};

}  // namespace

namespace {

// Adds what an allOf part says of a place to what is known of it: a kind where none was, a date
// where a text was (`allOf: [{"format": "date"}]`), and its members and items, merged likewise.
void merge(ir::Shape& into, std::unique_ptr<ir::Shape> part) {
  using ir::TypeKind;
  if (into.kind == TypeKind::any || (into.kind == TypeKind::string && part->kind == TypeKind::date))
    into.kind = part->kind;
  for (auto& [k, v] : part->properties) {
    auto& mine = into.properties[k];
    if (mine)
      merge(*mine, std::move(v));
    else
      mine = std::move(v);
  }
  if (part->items) {
    if (into.items)
      merge(*into.items, std::move(part->items));
    else
      into.items = std::move(part->items);
  }
}

}  // namespace

std::unique_ptr<ir::Shape> Schema::shape_of(Node n, Expansion& e) const {
  auto shape = std::make_unique<ir::Shape>();
  n = resolve(n);
  if (!n.json || !n.json->is_object()) return shape;
  Expanding expanding(e.within, e.places, max_places, n.json);
  if (!expanding.expands) return shape;
  const json& s = *n.json;
  auto child = [&](const json& sub) { return Node{&sub, n.file}; };
  // The one JSON type besides null; empty when there is none, or several (["string", "number"]).
  std::string type;
  if (auto t = s.find("type"); t != s.end()) {
    auto named = [](const json& x) { return x == "integer" ? std::string("number") : x.get<std::string>(); };
    if (t->is_string()) {
      type = named(*t);
    } else if (t->is_array()) {
      std::set<std::string> types;
      for (const auto& x : *t)
        if (x.is_string() && x != "null") types.insert(named(x));
      if (types.size() == 1) type = *types.begin();
    }
  }
  using ir::TypeKind;
  if (type == "number")
    shape->kind = TypeKind::number;
  else if (type == "boolean")
    shape->kind = TypeKind::boolean;
  else if (type == "string" || (type.empty() && format_of(s) == Rule::Format::date))
    shape->kind = format_of(s) == Rule::Format::date ? TypeKind::date : TypeKind::string;
  else if (type == "array")
    shape->kind = TypeKind::list;
  else if (type == "object")
    shape->kind = TypeKind::object;
  // Alternatives of one scalar kind, but for null: `anyOf: [{"type": "string"}, {"type": "null"}]`.
  for (const char* group : {"anyOf", "oneOf"})
    if (auto g = s.find(group); shape->kind == TypeKind::any && g != s.end() && g->is_array()) {
      std::optional<TypeKind> kind;
      for (const auto& sub : *g) {
        if (sub.is_object() && sub.value("type", json()) == "null") continue;
        auto k = shape_of(child(sub), e)->kind;
        bool scalar = k == TypeKind::boolean || k == TypeKind::number || k == TypeKind::date || k == TypeKind::string;
        kind = scalar && (!kind || *kind == k) ? std::optional(k) : TypeKind::any;
      }
      if (kind) shape->kind = *kind;
    }
  if (auto p = s.find("properties"); p != s.end() && p->is_object()) {
    if (shape->kind == TypeKind::any) shape->kind = TypeKind::object;
    for (const auto& [k, v] : p->items()) shape->properties[k] = shape_of(child(v), e);
  }
  if (auto items = s.find("items"); items != s.end()) shape->items = shape_of(child(*items), e);
  if (auto all = s.find("allOf"); all != s.end() && all->is_array())
    for (const auto& sub : *all) merge(*shape, shape_of(child(sub), e));
  return shape;
}

// Members named in `properties` and the elements of `items` are read as deep as their own
// schemas look; a keyword that judges an object's other members makes it read whole.
void Schema::reads_of(Node n, ReadSet& into, Expansion& e) const {
  n = resolve(n);
  if (!n.json || !n.json->is_object()) {
    into.whole = true;
    return;
  }
  Expanding expanding(e.within, e.places, max_places, n.json);
  if (!expanding.expands) {
    into.whole = true;
    return;
  }
  const json& s = *n.json;
  auto child = [&](const json& sub) { return Node{&sub, n.file}; };
  for (const auto& [k, v] : s.items())
    if (const Keyword* kw = keyword(k); kw && kw->whole) into.whole = true;
  if (auto p = s.find("properties"); p != s.end() && p->is_object())
    for (const auto& [k, v] : p->items()) reads_of(child(v), into.add_field(k), e);
  if (auto items = s.find("items"); items != s.end()) reads_of(child(*items), into.add_items(), e);
  for (const char* group : {"allOf", "anyOf", "oneOf"})
    if (auto g = s.find(group); g != s.end() && g->is_array())
      for (const auto& sub : *g) reads_of(child(sub), into, e);
}

namespace {

// "{zh, en}" as the language asks, falling back to the other one.
std::optional<std::string> in_language(const json& node, const char* key, std::string_view lang) {
  auto t = node.is_object() ? node.find(key) : node.end();
  if (t == node.end() || !t->is_object()) return std::nullopt;
  for (const char* l : {lang == "en" ? "en" : "zh", lang == "en" ? "zh" : "en"})
    if (auto v = t->find(l); v != t->end() && v->is_string() && !v->get<std::string>().empty()) return v->get<std::string>();
  return std::nullopt;
}

std::string fill(std::string pattern, std::string_view slot, const std::string& value) {
  if (auto at = pattern.find(slot); at != std::string::npos) pattern.replace(at, slot.size(), value);
  return pattern;
}

}  // namespace

std::optional<std::string> Schema::label(std::string_view path, std::string_view lang) const {
  auto root = files_.find(root_);
  if (root == files_.end() || !path.starts_with("$")) return std::nullopt;
  Node at = resolve({&root->second, &root->first});
  std::vector<std::string> within;  // the elements the value lies in, outermost first
  std::size_t i = 1;
  while (i < path.size() && at.json) {
    bool index = path[i] == '[';
    std::size_t end = index ? path.find(']', i) : path.find_first_of(".[", i + 1);
    if (index && end == std::string_view::npos) return std::nullopt;
    std::string step(path.substr(i + 1, (end == std::string_view::npos ? path.size() : end) - i - 1));
    i = end == std::string_view::npos ? path.size() : end + index;
    const json& s = *at.json;
    if (!s.is_object()) return std::nullopt;
    if (index) {
      auto items = s.find("items");
      if (items == s.end() || step.find_first_not_of("0123456789") != std::string::npos || step.size() > 9) return std::nullopt;
      std::string n = std::to_string(std::stoul(step) + 1);
      within.push_back(fill(in_language(s, "x-item", lang).value_or(lang == "en" ? "item {n}" : "第{n}项"), "{n}", n));
      at = resolve({&*items, at.file});
      continue;
    }
    auto props = s.find("properties");
    if (props != s.end() && props->contains(step)) {
      at = resolve({&(*props)[step], at.file});
    } else if (auto extra = s.find("additionalProperties"); extra != s.end() && extra->is_object()) {
      within.push_back(fill(in_language(s, "x-item", lang).value_or("{key}"), "{key}", step));  // keyed by year
      at = resolve({&*extra, at.file});
    } else {
      return std::nullopt;
    }
  }
  if (!at.json) return std::nullopt;
  auto name = in_language(*at.json, "x-label", lang);
  if (!name) return std::nullopt;
  if (within.empty()) return name;
  std::string where;
  for (const auto& w : within) where += (where.empty() ? "" : (lang == "en" ? ", " : "，")) + w;
  return lang == "en" ? *name + " (" + where + ")" : *name + "（" + where + "）";
}

}  // namespace rulebook::schema
