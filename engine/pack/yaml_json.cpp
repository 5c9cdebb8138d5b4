#include "pack/yaml_json.hpp"

#include <regex>

namespace rulebook::pack {
namespace {

void to_json_text(const YAML::Node& n, std::string& out) {
  static const std::regex number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      out += '{';
      bool first = true;
      for (const auto& kv : n) {
        if (!first) out += ',';
        first = false;
        to_json_text(YAML::Node(kv.first.Scalar()), out);
        out += ':';
        to_json_text(kv.second, out);
      }
      out += '}';
      return;
    }
    case YAML::NodeType::Sequence: {
      out += '[';
      for (std::size_t i = 0; i < n.size(); ++i) {
        if (i) out += ',';
        to_json_text(n[i], out);
      }
      out += ']';
      return;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "?") {  // plain, not quoted
        if (s == "true" || s == "false" || s == "null" || std::regex_match(s, number)) {
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
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (static_cast<unsigned char>(c) >= 0x20) out += c;
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
  to_json_text(n, out);
  return out;
}

}  // namespace rulebook::pack
