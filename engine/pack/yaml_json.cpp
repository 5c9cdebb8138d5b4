#include "pack/yaml_json.hpp"

#include <string_view>

#include "value/json_number.hpp"

namespace rulebook::pack {
namespace {

void quoted(const std::string& s, std::string& out) {
  out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {  // every control character kept, escaped: nothing changes silently
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

void to_json_text(const yaml::Node& n, std::string& out, int depth, std::size_t max_bytes) {
  // An alias that refers to itself (`&a {x: *a}`) is a cycle: bounded like any deep nesting.
  if (depth > max_yaml_depth)
    throw YamlTooLarge("YAML nested too deeply (more than " + std::to_string(max_yaml_depth) +
                       " levels), or an alias that refers to itself");
  // Checked before each node, each of which adds at most its own text (bounded by the file's).
  if (out.size() > max_bytes)
    throw YamlTooLarge("YAML that stands for more than " + std::to_string(max_bytes) +
                       " bytes of JSON once its aliases are expanded");
  switch (n.kind()) {
    case yaml::Kind::map: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : n.pairs()) {
        if (!first) out += ',';
        first = false;
        quoted(key.text(), out);  // a key is a string, whatever it reads as ("" for a collection or null)
        out += ':';
        to_json_text(value, out, depth + 1, max_bytes);
      }
      out += '}';
      return;
    }
    case yaml::Kind::sequence: {
      out += '[';
      bool first = true;
      for (const auto& e : n.elements()) {
        if (!first) out += ',';
        first = false;
        to_json_text(e, out, depth + 1, max_bytes);
      }
      out += ']';
      return;
    }
    case yaml::Kind::scalar: {
      const std::string& s = n.text();
      if (n.plain() && (s == "true" || s == "false" || is_json_number(s))) {
        out += s;
        return;
      }
      quoted(s, out);
      return;
    }
    case yaml::Kind::null: out += "null";
  }
}

}  // namespace

std::string yaml_to_json(const yaml::Node& n, std::size_t max_bytes) {
  std::string out;
  to_json_text(n, out, 0, max_bytes);
  return out;
}

}  // namespace rulebook::pack
