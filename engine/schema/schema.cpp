#include "schema/schema.hpp"

#include <fstream>
#include <functional>

#include "value/credit_code.hpp"
#include "value/utf8.hpp"

namespace rulebook::schema {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int max_depth = 64;  // $ref chains and nesting: a cyclic schema cannot recurse forever

Error input_error(const std::string& path, std::string message) {
  Error e;
  e.code = Error::Code::input;
  e.message = std::move(message);
  e.json_path = path;
  return e;
}

std::string describe(const Value& v) { return std::string(kind_name(v.kind())) + " " + v.to_display(); }

bool equals(const Value& v, const json& j) {
  switch (v.kind()) {
    case Kind::string: return j.is_string() && j.get<std::string>() == v.as_string();
    case Kind::date: return j.is_string() && j.get<std::string>() == v.as_date().to_string();
    case Kind::boolean: return j.is_boolean() && j.get<bool>() == v.as_bool();
    case Kind::number: {
      auto d = j.is_number() ? Decimal::parse(j.dump()) : std::nullopt;
      return d && *d == v.as_number();
    }
    default: return false;
  }
}

bool has_type(const Value& v, const std::string& t) {
  switch (v.kind()) {
    case Kind::string:
    case Kind::date: return t == "string";
    case Kind::number: return t == "number" || (t == "integer" && v.as_number().is_integer());
    case Kind::boolean: return t == "boolean";
    case Kind::list: return t == "array";
    case Kind::object: return t == "object";
    case Kind::null: return t == "null";
    case Kind::unknown: return true;
  }
  return false;
}

// Calls f on every sub-schema object of a schema document.
void walk(const json& j, const std::function<void(const json&)>& f) {
  if (j.is_object()) {
    f(j);
    for (const auto& [k, v] : j.items()) walk(v, f);
  } else if (j.is_array()) {
    for (const auto& v : j) walk(v, f);
  }
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
    std::ifstream in(p);
    json j = in ? json::parse(in, nullptr, false) : json(json::value_t::discarded);
    if (j.is_discarded()) {
      Error e;
      e.code = Error::Code::io;
      e.message = in ? "the schema is not valid JSON" : "cannot read the schema";
      e.loc.file = p.string();
      errors.push_back(std::move(e));
      ok = false;
      continue;
    }
    walk(j, [&](const json& s) {
      if (auto r = s.find("$ref"); r != s.end() && r->is_string()) {
        std::string ref = *r;
        std::string target = ref.substr(0, ref.find('#'));
        if (!target.empty()) todo.push_back(fs::weakly_canonical(p.parent_path() / target));
      }
      if (auto pat = s.find("pattern"); pat != s.end() && pat->is_string()) {
        try {
          schema->regexes_.emplace(*pat, std::regex(pat->get<std::string>(), std::regex::ECMAScript));
        } catch (const std::regex_error&) {
          Error e;
          e.code = Error::Code::io;
          e.message = "invalid pattern in the schema: " + pat->get<std::string>();
          e.loc.file = p.string();
          errors.push_back(std::move(e));
          ok = false;
        }
      }
    });
    schema->files_.emplace(p, std::move(j));
  }
  return ok ? schema : nullptr;
}

Schema::Node Schema::resolve(Node n, int depth) const {
  auto r = n.json->is_object() ? n.json->find("$ref") : n.json->end();
  if (r == n.json->end() || !r->is_string() || depth > max_depth) return n;
  std::string ref = *r;
  auto hash = ref.find('#');
  std::string target = ref.substr(0, hash), pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
  auto file = target.empty() ? files_.find(*n.file) : files_.find(fs::weakly_canonical(n.file->parent_path() / target));
  if (file == files_.end()) return {nullptr, nullptr};
  try {
    const json& at = pointer.empty() ? file->second : file->second.at(json::json_pointer(pointer));
    return resolve({&at, &file->first}, depth + 1);
  } catch (const json::exception&) {
    return {nullptr, nullptr};
  }
}

const std::regex& Schema::regex(const std::string& pattern) const { return regexes_.at(pattern); }

std::vector<Error> Schema::validate(const Value& document) const {
  std::vector<Error> out;
  auto root = files_.find(root_);
  if (root != files_.end()) check({&root->second, &root->first}, document, "$", out, 0);
  return out;
}

void Schema::check(Node n, const Value& v, const std::string& path, std::vector<Error>& out, int depth) const {
  if (v.kind() == Kind::null || v.is_unknown() || depth > max_depth) return;
  n = resolve(n);
  if (!n.json || !n.json->is_object()) return;
  const json& s = *n.json;
  auto child = [&](const json& sub) { return Node{&sub, n.file}; };

  if (auto all = s.find("allOf"); all != s.end() && all->is_array())
    for (const auto& sub : *all) check(child(sub), v, path, out, depth + 1);
  for (const char* key : {"anyOf", "oneOf"}) {
    auto alts = s.find(key);
    if (alts == s.end() || !alts->is_array()) continue;
    int matches = 0;
    for (const auto& sub : *alts) {
      std::vector<Error> trial;
      check(child(sub), v, path, trial, depth + 1);
      matches += trial.empty();
    }
    if (matches == 0 || (key == std::string("oneOf") && matches > 1))
      out.push_back(input_error(
          path, describe(v) + (matches ? " matches more than one" : " matches none") + " of the allowed forms"));
  }

  if (auto t = s.find("type"); t != s.end()) {
    std::vector<std::string> types;
    if (t->is_string()) types.push_back(*t);
    if (t->is_array())
      for (const auto& x : *t)
        if (x.is_string()) types.push_back(x);
    bool ok = types.empty();
    std::string want;
    for (const auto& type : types) {
      ok = ok || has_type(v, type);
      if (type != "null") want += (want.empty() ? "" : " or ") + type;
    }
    if (!ok) {
      out.push_back(input_error(path, "expected " + want + ", got " + describe(v)));
      return;
    }
  }
  if (auto e = s.find("enum"); e != s.end() && e->is_array()) {
    bool found = false;
    std::string list;
    for (const auto& item : *e) {
      found = found || equals(v, item);
      list += (list.empty() ? "" : ", ") + item.dump();
    }
    if (!found) out.push_back(input_error(path, "expected one of " + list + ", got " + v.to_display()));
  }
  if (auto c = s.find("const"); c != s.end() && !equals(v, *c))
    out.push_back(input_error(path, "expected " + c->dump() + ", got " + v.to_display()));

  if (v.kind() == Kind::string || v.kind() == Kind::date) {
    std::string text = v.kind() == Kind::string ? v.as_string() : v.as_date().to_string();
    if (auto m = s.find("minLength");
        m != s.end() && m->is_number_unsigned() && utf8_length(text) < m->get<std::size_t>())
      out.push_back(input_error(path, "shorter than " + m->dump() + " characters"));
    if (auto m = s.find("maxLength");
        m != s.end() && m->is_number_unsigned() && utf8_length(text) > m->get<std::size_t>())
      out.push_back(input_error(path, "longer than " + m->dump() + " characters"));
    if (auto p = s.find("pattern"); p != s.end() && p->is_string() && !std::regex_search(text, regex(*p)))
      out.push_back(input_error(path, "\"" + text + "\" does not match the pattern " + p->get<std::string>()));
    std::string format = s.value("format", "");
    if (format == "date" && v.kind() != Kind::date)
      out.push_back(input_error(path, "expected a date YYYY-MM-DD, got \"" + text + "\""));
    if (format == "credit-code" && !credit_code_valid(text))
      out.push_back(input_error(path, "\"" + text +
                                          "\" is not a valid 统一社会信用代码 (GB 32100-2015: 18 characters, "
                                          "check character)"));
  }
  if (v.kind() == Kind::number) {
    const Decimal& x = v.as_number();
    auto bound = [&](const char* key, auto violates, const char* words) {
      auto b = s.find(key);
      if (b == s.end() || !b->is_number()) return;
      auto d = Decimal::parse(b->dump());
      if (d && violates(x, *d)) out.push_back(input_error(path, x.to_string() + " is " + words + " " + d->to_string()));
    };
    bound(
        "minimum", [](const Decimal& a, const Decimal& b) { return a < b; }, "less than");
    bound(
        "maximum", [](const Decimal& a, const Decimal& b) { return a > b; }, "more than");
    bound(
        "exclusiveMinimum", [](const Decimal& a, const Decimal& b) { return a <= b; }, "not more than");
    bound(
        "exclusiveMaximum", [](const Decimal& a, const Decimal& b) { return a >= b; }, "not less than");
  }
  if (v.kind() == Kind::object) {
    const Object& o = v.as_object();
    auto props = s.find("properties");
    auto extra = s.find("additionalProperties");  // false, or a schema for members not in properties
    for (const auto& [key, member] : o.members) {
      std::string sub_path = path + "." + key;
      if (props != s.end() && props->is_object() && props->contains(key))
        check(child((*props)[key]), member, sub_path, out, depth + 1);
      else if (extra != s.end() && *extra == json(false))
        out.push_back(input_error(sub_path, "unknown field '" + key + "'"));
      else if (extra != s.end() && extra->is_object())
        check(child(*extra), member, sub_path, out, depth + 1);
    }
    if (auto req = s.find("required"); req != s.end() && req->is_array())
      for (const auto& r : *req)
        if (r.is_string() && !o.find(r.get<std::string>()))
          out.push_back(input_error(path, "missing required field '" + r.get<std::string>() + "'"));
  }
  if (v.kind() == Kind::list) {
    const List& l = v.as_list();
    if (auto m = s.find("minItems"); m != s.end() && m->is_number_unsigned() && l.items.size() < m->get<std::size_t>())
      out.push_back(input_error(path, "fewer than " + m->dump() + " elements"));
    if (auto m = s.find("maxItems"); m != s.end() && m->is_number_unsigned() && l.items.size() > m->get<std::size_t>())
      out.push_back(input_error(path, "more than " + m->dump() + " elements"));
    if (auto items = s.find("items"); items != s.end())
      for (std::size_t i = 0; i < l.items.size(); ++i)
        check(child(*items), l.items[i], path + "[" + std::to_string(i) + "]", out, depth + 1);
  }
}

std::unique_ptr<ir::Shape> Schema::shape() const {
  auto root = files_.find(root_);
  if (root == files_.end()) return std::make_unique<ir::Shape>();
  return shape_of({&root->second, &root->first}, 0);
}

std::unique_ptr<ir::Shape> Schema::shape_of(Node n, int depth) const {
  auto shape = std::make_unique<ir::Shape>();
  n = resolve(n);
  if (!n.json || !n.json->is_object() || depth > max_depth) return shape;
  const json& s = *n.json;
  auto child = [&](const json& sub) { return Node{&sub, n.file}; };
  std::string type;
  if (auto t = s.find("type"); t != s.end()) {
    if (t->is_string())
      type = *t;
    else if (t->is_array())
      for (const auto& x : *t)
        if (x.is_string() && x != "null") type = x;
  }
  using ir::TypeKind;
  if (type == "number" || type == "integer")
    shape->kind = TypeKind::number;
  else if (type == "boolean")
    shape->kind = TypeKind::boolean;
  else if (type == "string")
    shape->kind = s.value("format", "") == "date" ? TypeKind::date : TypeKind::string;
  else if (type == "array")
    shape->kind = TypeKind::list;
  else if (type == "object")
    shape->kind = TypeKind::object;
  auto add_properties = [&](const json& from) {
    if (auto p = from.find("properties"); p != from.end() && p->is_object()) {
      if (shape->kind == TypeKind::any) shape->kind = TypeKind::object;
      for (const auto& [k, v] : p->items()) shape->properties[k] = shape_of(child(v), depth + 1);
    }
  };
  add_properties(s);
  if (auto all = s.find("allOf"); all != s.end() && all->is_array())
    for (const auto& sub : *all) {
      auto part = shape_of(child(sub), depth + 1);
      if (shape->kind == TypeKind::any) shape->kind = part->kind;
      for (auto& [k, v] : part->properties) shape->properties[k] = std::move(v);
    }
  if (auto items = s.find("items"); items != s.end()) shape->items = shape_of(child(*items), depth + 1);
  return shape;
}

void Schema::reads(ReadSet& into) const {
  auto root = files_.find(root_);
  reads_of({&root->second, &root->first}, into, 0);
}

// Members named in `properties` and the elements of `items` are read as deep as their own
// schemas look; a keyword that judges an object's other members makes it read whole.
void Schema::reads_of(Node n, ReadSet& into, int depth) const {
  n = resolve(n);
  if (!n.json || !n.json->is_object() || depth > max_depth) {
    into.whole = true;
    return;
  }
  const json& s = *n.json;
  auto child = [&](const json& sub) { return Node{&sub, n.file}; };
  for (const char* all : {"additionalProperties", "patternProperties", "propertyNames", "minProperties",
                          "maxProperties", "dependentRequired", "dependentSchemas", "unevaluatedProperties",
                          "prefixItems", "contains", "uniqueItems", "not", "if"})
    if (s.contains(all)) into.whole = true;
  if (auto p = s.find("properties"); p != s.end() && p->is_object())
    for (const auto& [k, v] : p->items()) reads_of(child(v), into.add_field(k), depth + 1);
  if (auto items = s.find("items"); items != s.end()) reads_of(child(*items), into.add_items(), depth + 1);
  for (const char* group : {"allOf", "anyOf", "oneOf"})
    if (auto g = s.find(group); g != s.end() && g->is_array())
      for (const auto& sub : *g) reads_of(child(sub), into, depth + 1);
}

}  // namespace rulebook::schema
