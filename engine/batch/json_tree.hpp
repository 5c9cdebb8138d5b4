#pragma once
// A document built from the cells of a row (CSV, xlsx): the fields a mapping sets, in mapping
// order, written as JSON text so that it goes through Document::parse like any input.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook::detail {

/// A JSON string for any text: quotes, backslashes and every control character escaped.
inline std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

struct JsonTree {
  std::string key;   ///< the member or index this node is, in its parent
  std::string leaf;  ///< JSON text of a value; empty for objects and lists
  std::vector<JsonTree> members;
  bool is_list = false;

  JsonTree& child(const std::string& step) {
    for (auto& n : members)
      if (n.key == step) return n;
    JsonTree& n = members.emplace_back();
    n.key = step;
    return n;
  }
  void write(std::string& out) const {
    if (!leaf.empty()) {
      out += leaf;
      return;
    }
    out += is_list ? '[' : '{';
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i) out += ',';
      if (!is_list) out += json_quote(members[i].key) + ':';
      members[i].write(out);
    }
    out += is_list ? ']' : '}';
  }
};

}  // namespace rulebook::detail
