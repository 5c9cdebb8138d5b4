#include "pack/yaml_json.hpp"

#include <string_view>

#include "value/json_number.hpp"

namespace rulebook::pack {
namespace {

void to_json_text(const YAML::Node& n, std::string& out, int depth) {
  // An alias that refers to itself (`&a {x: *a}`) is a cycle: bounded like any deep nesting.
  if (depth > max_yaml_depth) throw YamlTooDeep("YAML nested too deeply (more than " + std::to_string(max_yaml_depth) +
                                                " levels), or an alias that refers to itself");
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      out += '{';
      bool first = true;
      for (const auto& kv : n) {
        if (!first) out += ',';
        first = false;
        to_json_text(YAML::Node(kv.first.Scalar()), out, depth + 1);
        out += ':';
        to_json_text(kv.second, out, depth + 1);
      }
      out += '}';
      return;
    }
    case YAML::NodeType::Sequence: {
      out += '[';
      for (std::size_t i = 0; i < n.size(); ++i) {
        if (i) out += ',';
        to_json_text(n[i], out, depth + 1);
      }
      out += ']';
      return;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "?") {  // plain, not quoted
        if (s == "true" || s == "false" || s == "null" || is_json_number(s)) {
          out += s;
          return;
        }
        if (s == "~") {
          out += "null";
          return;
        }
      }
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
      return;
    }
    default: out += "null";
  }
}

}  // namespace

std::string yaml_to_json(const YAML::Node& n) {
  std::string out;
  to_json_text(n, out, 0);
  return out;
}

}  // namespace rulebook::pack
