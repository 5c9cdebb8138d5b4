#include "pack/yaml_json.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

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

// `within`: the collections being written, outermost first.
void to_json_text(const yaml::Node& n, std::string& out, std::vector<yaml::Node>& within, std::size_t max_bytes) {
  if (within.size() > std::size_t(max_yaml_depth))
    throw YamlTooLarge("YAML nested too deeply (more than " + std::to_string(max_yaml_depth) + " levels)");
  // Checked before each node, each of which adds at most its own text (bounded by the file's).
  if (out.size() > max_bytes)
    throw YamlTooLarge("YAML that stands for more than " + std::to_string(max_bytes) +
                       " bytes of JSON once its aliases are expanded");
  bool collection = n.kind() == yaml::Kind::map || n.kind() == yaml::Kind::sequence;
  // An alias inside its own anchor (`&a {x: *a}`) stands for an endless value: said at once,
  // not written out to the depth limit (256 levels of a value that may hold several such).
  if (collection && std::any_of(within.begin(), within.end(), [&](const yaml::Node& w) { return w.same(n); }))
    throw YamlTooLarge("an alias inside the node it names (line " + std::to_string(n.mark().line + 1) +
                       "), which would never end");
  if (collection) within.push_back(n);
  switch (n.kind()) {
    case yaml::Kind::map: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : n.pairs()) {
        if (!first) out += ',';
        first = false;
        quoted(key.text(), out);  // a key is a string, whatever it reads as ("" for a collection or null)
        out += ':';
        to_json_text(value, out, within, max_bytes);
      }
      out += '}';
      within.pop_back();
      return;
    }
    case yaml::Kind::sequence: {
      out += '[';
      bool first = true;
      for (const auto& e : n.elements()) {
        if (!first) out += ',';
        first = false;
        to_json_text(e, out, within, max_bytes);
      }
      out += ']';
      within.pop_back();
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
  std::vector<yaml::Node> within;
  to_json_text(n, out, within, max_bytes);
  return out;
}

}  // namespace rulebook::pack
