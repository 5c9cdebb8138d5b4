// The pack's sheet template: its subject schema's `x-sheet` lists the columns by document path;
// each is headed by its field's label, and the mapping that reads the template back is made from
// the same list. The review desk and `rulebook batch` both read a filled-in template through
// here, so they accept and refuse the same sheets.

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "compile/pack_access.hpp"
#include "compile/program.hpp"
#include "schema/schema.hpp"
#include "sheet/sheet.hpp"

namespace rulebook {
namespace {

using json = nlohmann::ordered_json;

std::string text_in(const nlohmann::json& node, const char* key, const char* lang) {
  auto t = node.find(key);
  if (t == node.end() || !t->is_object()) return {};
  auto v = t->find(lang);
  return v != t->end() && v->is_string() ? v->get<std::string>() : std::string();
}

// A generated mapping, written where the sheet readers (which read files) find it, and removed after.
struct MappingFile {
  std::filesystem::path path;
  explicit MappingFile(const std::string& text) {
    auto dir = std::filesystem::temp_directory_path();
    std::string pattern = (dir / "rulebook-template-XXXXXX").string();
    int fd = mkstemp(pattern.data());
    if (fd < 0) return;
    ::close(fd);
    path = pattern;
    std::ofstream(path, std::ios::binary) << text;
  }
  ~MappingFile() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

}  // namespace

TemplateColumn template_column(const CompiledPack& pack, const std::string& path) {
  TemplateColumn c;
  c.path = path;
  const auto* schema = detail::program(pack).schema.get();
  const nlohmann::json* node = schema ? schema->field(path) : nullptr;
  static const nlohmann::json nothing = nlohmann::json::object();
  if (!node || !node->is_object()) node = &nothing;
  c.header_zh = text_in(*node, "x-label", "zh");
  c.header_en = text_in(*node, "x-label", "en");
  if (c.header_zh.empty()) c.header_zh = path;
  if (c.header_en.empty()) c.header_en = path;
  // The schema's type, the null of "unknown" aside.
  auto type_of = [](const nlohmann::json& n) {
    std::string type;
    if (auto t = n.find("type"); t != n.end()) {
      if (t->is_string())
        type = t->get<std::string>();
      else if (t->is_array())
        for (const auto& x : *t)
          if (x.is_string() && x != "null") type = x.get<std::string>();
    }
    return type;
  };
  std::string type = type_of(*node);
  // An array of text (enum items included) is written in one cell, item after item.
  const nlohmann::json* item = node;
  if (type == "array" && schema)
    if (const nlohmann::json* items = schema->field(path + "[]"); items && items->is_object()) {
      std::string item_type = type_of(*items);
      bool texts = items->contains("enum") ? std::all_of(items->at("enum").begin(), items->at("enum").end(),
                                                         [](const auto& v) { return v.is_string(); })
                                           : item_type == "string" && !items->contains("format");
      if (texts && (item_type.empty() || item_type == "string")) {
        c.list = true;
        item = items;
        type = "string";
      }
    }
  bool dated = item->contains("format") && item->at("format") == "date";
  c.type = type == "number" || type == "integer" ? "number" : type == "boolean" ? "boolean" : dated ? "date" : "string";
  // A choice may be written as its label, in either language, and is shown by it.
  if (auto e = item->find("enum"); e != item->end() && e->is_array())
    for (const auto& v : *e)
      if (v.is_string()) c.values.push_back(v.get<std::string>());
  auto labels = item->find("x-enum-labels");
  if (!c.values.empty() && labels != item->end() && labels->is_object())
    for (const auto& [value, names] : labels->items()) {
      if (!names.is_object()) continue;
      Text& t = c.labels[value];
      if (auto zh = names.find("zh"); zh != names.end() && zh->is_string()) {
        t.zh = zh->get<std::string>();
        c.choices.emplace(t.zh, value);
      }
      if (auto en = names.find("en"); en != names.end() && en->is_string()) {
        t.en = en->get<std::string>();
        c.choices.emplace(t.en, value);
      }
    }
  return c;
}

std::string TemplateColumn::shown(const std::string& value, std::string_view lang) const {
  auto l = labels.find(value);
  if (l == labels.end()) return value;
  const std::string& s = l->second.get(lang);
  return s.empty() ? value : s;
}

std::optional<SheetTemplate> sheet_template(const CompiledPack& pack) {
  const auto* schema = detail::program(pack).schema.get();
  if (!schema) return std::nullopt;
  auto spec = schema->root().find("x-sheet");
  if (spec == schema->root().end() || !spec->is_object() || !spec->contains("columns")) return std::nullopt;
  SheetTemplate out;
  if (auto g = spec->find("group_by"); g != spec->end() && g->is_string()) out.group_by = g->get<std::string>();
  for (const auto& p : spec->at("columns"))
    if (p.is_string()) out.columns.push_back(template_column(pack, p.get<std::string>()));
  if (out.columns.empty()) return std::nullopt;
  return out;
}

const std::string& TemplateColumn::header(std::string_view lang) const { return lang == "en" ? header_en : header_zh; }

std::string template_mapping(const SheetTemplate& t, std::string_view lang) {
  json mapping = {{"columns", json::object()}};
  for (const auto& c : t.columns) {
    mapping["columns"][c.header(lang)] = c.type == "string" ? json(c.path) : json{{"path", c.path}, {"type", c.type}};
    if (c.path == t.group_by) mapping["group_by"] = c.header(lang);
  }
  return mapping.dump();  // JSON is YAML
}

std::string template_csv(const SheetTemplate& t, std::string_view lang) {
  // A byte-order mark, so that spreadsheet programs read the Chinese headers as UTF-8.
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const std::string& h = t.columns[i].header(lang);
    bool quote = h.find_first_of(",\"\r\n") != std::string::npos;
    std::string cell = h;
    for (std::size_t at = 0; quote && (at = cell.find('"', at)) != std::string::npos; at += 2) cell.insert(at, "\"");
    out += (i ? "," : "") + (quote ? "\"" + cell + "\"" : cell);
  }
  return out + "\r\n";
}

OpenedInput open_template_sheet(const std::string& path, const CompiledPack& pack, SheetOptions options,
                                const std::string& shown_as) {
  std::optional<SheetTemplate> t = sheet_template(pack);
  if (!t) {
    OpenedInput none;
    Error e;
    e.code = Error::Code::input;
    e.say("the pack " + pack.info().id +
              " has no sheet template (x-sheet in its subject schema): give the sheet's mapping",
          "规则包 " + pack.info().id + " 没有表格模板（其主体 schema 中没有 x-sheet）：请提供该表格的列映射");
    e.loc.file = shown_as.empty() ? path : shown_as;
    none.errors.push_back(std::move(e));
    return none;
  }
  options.pack = &pack;
  options.template_name = "the sheet template of " + pack.info().id;
  options.template_name_zh = pack.info().id + " 的表格模板";
  // Headed in either language: each template's mapping is tried, and the reading that went
  // furthest (fewest problems with the header row) is the one answered.
  std::optional<OpenedInput> best;
  for (const char* lang : {"zh", "en"}) {
    MappingFile mapping(template_mapping(*t, lang));
    options.mapping = mapping.path.string();
    OpenedInput opened = open_sheet(path, options);
    // What the generated mapping itself gets wrong (two columns headed alike: a drafting slip in
    // the schema) names the template in the message's own language, not the temporary file.
    auto rename = [&](std::string& text, const std::string& to) {
      for (std::size_t at; (at = text.find(options.mapping)) != std::string::npos;)
        text.replace(at, options.mapping.size(), to);
    };
    for (auto& e : opened.errors) {
      if (e.loc.file == options.mapping) {
        e.loc = {};
        e.say(options.template_name + ": " + e.message, options.template_name_zh + "：" + e.message_in("zh"));
      }
      rename(e.message, options.template_name);
      rename(e.message_zh, options.template_name_zh);
    }
    if (opened.source) return opened;
    if (!best || opened.errors.size() < best->errors.size()) best = std::move(opened);
  }
  return std::move(*best);
}

}  // namespace rulebook
