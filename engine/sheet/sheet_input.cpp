// Sheets as inputs: a header row names columns that a mapping ties to document paths; with
// `group_by` the rows of one application (one per transaction) become one document. The whole
// sheet is read before any document is made, because whether an application's rows are
// together, or a transaction is listed twice, is only known at the end: a malformed application
// is then one error record, never a document evaluated on part of its rows.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "batch/json_tree.hpp"
#include "sheet/cells.hpp"
#include "sheet/sheet.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

using detail::JsonTree;
using detail::json_quote;

constexpr std::size_t none = std::size_t(-1);

struct Column {
  std::string header;
  std::vector<std::string> path;  ///< steps: a member, "[2]" an index, "[]" the row's own list element
  std::string type = "string";    ///< string, number, boolean or date
  std::size_t each = none;        ///< where "[]" is in `path`
  bool ignored() const { return path.empty(); }
  bool per_row() const { return each != none; }
};

struct Mapping {
  std::vector<Column> columns;
  std::string group_by, sheet;
  std::vector<std::string> list;  ///< the steps before "[]": the list a row adds an element to
  std::size_t key = none;         ///< the column holding the element's id (`list[].id`), for repeats
};

Error error_at(const std::string& file, std::string message, int line = 0) {
  return {Error::Code::input, std::move(message), {file, line, line ? 1 : 0}, {}, {}};
}


std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r\n"));
  s.erase(s.find_last_not_of(" \t\r\n") + 1);
  return s;
}

Mapping read_mapping(const std::string& file, std::vector<Error>& errors) {
  Mapping m;
  try {
    YAML::Node root = YAML::LoadFile(file);
    auto bad = [&](const YAML::Node& at, const std::string& what) {
      errors.push_back(
          {Error::Code::yaml, "expected " + what, {file, at.Mark().line + 1, at.Mark().column + 1}, {}, {}});
    };
    if (!root.IsMap() || !root["columns"] || !root["columns"].IsMap()) {
      bad(root, "a mapping with 'columns:' (column header: document path, or {path, type})");
      return m;
    }
    for (const auto& kv : root["columns"]) {
      Column c;
      c.header = kv.first.as<std::string>();
      std::string path;
      if (kv.second.IsScalar()) {
        path = kv.second.as<std::string>();
      } else if (kv.second.IsMap() && kv.second["path"]) {
        path = kv.second["path"].as<std::string>();
        if (kv.second["type"]) c.type = kv.second["type"].as<std::string>();
      } else {
        bad(kv.second, "a document path such as contract.amount, or {path: …, type: …}");
        continue;
      }
      if (c.type != "string" && c.type != "number" && c.type != "boolean" && c.type != "date")
        bad(kv.second, "type string, number, boolean or date, got '" + c.type + "'");
      std::string step;  // "transactions[].contract.amount" → transactions, [], contract, amount
      for (char ch : path + ".") {
        if (ch == '.' || ch == '[') {
          if (!step.empty()) c.path.push_back(step);
          step = ch == '[' ? "[" : "";
        } else if (ch == ']') {
          c.path.push_back(step + "]");
          step.clear();
        } else {
          step += ch;
        }
      }
      for (std::size_t i = 0; i < c.path.size(); ++i) {
        const std::string& s = c.path[i];
        if (s == "[]") {
          if (c.each != none) bad(kv.second, "at most one [] in a path: a row adds one element to one list");
          c.each = i;
        } else if (s[0] == '[' &&
                   (s.size() < 3 || s.find_first_not_of("0123456789", 1) != s.size() - 1 || s.size() > 8)) {
          bad(kv.second, "a list index such as [0] or [] (this row's element), got " + s);
        }
      }
      if (c.path.empty() || c.path[0][0] == '[') {
        bad(kv.second, "a document path such as applicant.type");
        continue;
      }
      if (c.per_row()) {
        std::vector<std::string> list(c.path.begin(), c.path.begin() + std::ptrdiff_t(c.each));
        if (m.list.empty())
          m.list = list;
        else if (m.list != list)
          bad(kv.second, "every [] path to name the same list (the row's element), as the others name " + m.list[0]);
        if (c.path.size() == c.each + 2 && c.path.back() == "id") m.key = m.columns.size();
      }
      m.columns.push_back(std::move(c));
    }
    if (const auto& ignore = root["ignore"]; ignore && ignore.IsSequence())
      for (const auto& col : ignore) m.columns.push_back({col.as<std::string>(), {}, "string", none});
    if (const auto& g = root["group_by"]) {
      m.group_by = g.as<std::string>();
      auto it =
          std::find_if(m.columns.begin(), m.columns.end(), [&](const Column& c) { return c.header == m.group_by; });
      if (it == m.columns.end())
        bad(g, "group_by to name a column of the mapping (under columns: or ignore:), got '" + m.group_by + "'");
      else if (it->per_row())
        bad(g, "group_by to name an application's column, not one of the row's [] element");
    }
    if (const auto& s = root["sheet"]) m.sheet = s.as<std::string>();
  } catch (const YAML::Exception& e) {
    errors.push_back({Error::Code::yaml, e.msg, {file, e.mark.line + 1, e.mark.column + 1}, {}, {}});
  }
  return m;
}

// A CSV file (RFC 4180) as a sheet of text cells; a row's number is the line it starts on.
std::optional<Sheet> read_csv(const std::string& file, const SheetLimits& limits, std::vector<Error>& errors) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    errors.push_back(error_at(file, "cannot read the file"));
    return std::nullopt;
  }
  Sheet sheet{file, {}, {}};
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, std::size_t(in.gcount()));
    if (text.size() > limits.max_uncompressed) {
      errors.push_back(error_at(file, "a grouped CSV sheet is read whole, and this one is larger than " +
                                          std::to_string(limits.max_uncompressed >> 20) + " MiB"));
      return std::nullopt;
    }
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // spreadsheet BOM
  std::uint32_t line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    SheetRow row{line, {}};
    std::string cell;
    std::uint32_t column = 0;
    bool quoted = false;
    auto end_cell = [&] {
      if (!trim(cell).empty()) row.cells.emplace_back(column, SheetCell{SheetCell::Kind::text, cell});
      cell.clear();
      ++column;
    };
    for (; i < text.size(); ++i) {
      char ch = text[i];
      if (quoted) {
        if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (ch == '"') {
          quoted = false;
        } else {
          if (ch == '\n') ++line;
          cell += ch;
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        end_cell();
      } else if (ch == '\n') {
        break;
      } else if (ch != '\r') {
        cell += ch;
      }
    }
    ++i;
    end_cell();
    if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
    ++line;
  }
  return sheet;
}


class SheetDocuments final : public InputSource {
 public:
  SheetDocuments(Sheet sheet, Mapping mapping, bool xlsx)
      : sheet_(std::move(sheet)), m_(std::move(mapping)), xlsx_(xlsx) {}

  /// Matches the header row to the mapping; errors for columns either lacks.
  bool open(const std::string& mapping_file, std::vector<Error>& errors, std::vector<std::string>& shown) {
    if (sheet_.rows.empty()) {
      errors.push_back(error_at(sheet_.file, where_sheet() + "expected a header row naming the columns"));
      return false;
    }
    const SheetRow& header = sheet_.rows[0];
    std::set<std::string> seen;
    for (const auto& [col, cell] : header.cells) {
      std::string h = trim(cell.text);
      auto it = std::find_if(m_.columns.begin(), m_.columns.end(), [&](const Column& c) { return c.header == h; });
      if (it == m_.columns.end()) {
        errors.push_back(error_at(sheet_.file,
                                  where(col, header.number) + ": column '" + h + "' is not in the mapping " +
                                      mapping_file + ": map it under columns: or list it under ignore:",
                                  xlsx_ ? 0 : int(header.number)));
        continue;
      }
      if (!seen.insert(h).second) {
        errors.push_back(error_at(sheet_.file, where(col, header.number) + ": column '" + h + "' appears twice",
                                  xlsx_ ? 0 : int(header.number)));
        continue;
      }
      at_.emplace_back(col, std::size_t(it - m_.columns.begin()));
      if (!it->per_row()) shown.push_back(h);
      if (h == m_.group_by) group_column_ = col;
      if (it->path == std::vector<std::string>{"id"}) id_column_ = col;
    }
    for (const auto& c : m_.columns)
      if (!seen.count(c.header))
        errors.push_back(error_at(mapping_file, "the mapping names column '" + c.header + "', which " + sheet_.file +
                                                    (xlsx_ ? " (" + sheet_.name + ")" : "") + " lacks"));
    if (!errors.empty()) return false;
    group();
    return true;
  }

  bool next(BatchInput& input) override {
    if (next_ >= groups_.size()) return false;
    build(groups_[next_++], input);
    return true;
  }
  std::uint64_t bytes_read() const override { return next_; }
  std::uint64_t bytes_total() const override { return groups_.size(); }

 private:
  struct Group {
    std::string id;
    std::vector<std::size_t> rows;  ///< indices into sheet_.rows
    bool apart = false;
  };

  std::string where_sheet() const { return xlsx_ ? sheet_.name + ": " : ""; }
  std::string where(std::uint32_t col, std::uint32_t row) const {
    return (xlsx_ ? sheet_.name + "!" : "") + cell_ref(col, row);
  }

  // Applications in order of their first row; rows of one id that others interrupt are marked.
  void group() {
    std::map<std::string, std::size_t> index;
    std::string last;
    for (std::size_t r = 1; r < sheet_.rows.size(); ++r) {
      // Ungrouped rows still carry their id (the column mapped to `id`) for their error records.
      std::string id;
      std::size_t id_column = group_column_ != none ? group_column_ : id_column_;
      if (id_column != none)
        if (const SheetCell* c = sheet_.rows[r].at(std::uint32_t(id_column)))
          id = trim(c->kind == SheetCell::Kind::number ? plain_decimal(c->text).value_or(c->text) : c->text);
      if (group_column_ == none || id.empty()) {  // ungrouped, or a row without its application's id
        groups_.push_back({id, {r}, false});
        last.clear();
        continue;
      }
      auto [it, fresh] = index.emplace(id, groups_.size());
      if (fresh)
        groups_.push_back({id, {r}, false});
      else {
        groups_[it->second].rows.push_back(r);
        if (last != id) groups_[it->second].apart = true;
      }
      last = id;
    }
  }

  // The cell as JSON of the column's type, or an error message.
  bool convert(const SheetCell& cell, const Column& col, std::string& json, std::string& why) const {
    using K = SheetCell::Kind;
    auto bad = [&](const std::string& what) {
      why = "expected " + what + ", got " +
            (cell.kind == K::text ? "\"" + cell.text + "\""
                                  : std::string(cell.kind == K::date ? "the date " : "") + cell.text);
      return false;
    };
    if (cell.kind == K::error) return bad("a value (the cell holds a formula error)");
    if (col.type == "number") {
      if (cell.kind == K::number) {
        json = plain_decimal(cell.text).value_or("");
        return !json.empty() || bad("a number");
      }
      if (cell.kind != K::text) return bad("a number");
      std::string digits;
      for (char ch : trim(cell.text))
        if (ch != ',') digits += ch;  // thousands separators as offices type them
      auto plain = plain_decimal(digits);
      if (!plain) return bad("a number");
      json = *plain;
    } else if (col.type == "boolean") {
      static const std::vector<std::string> yes{"true", "TRUE", "True", "yes", "Yes", "是", "1"},
          no{"false", "FALSE", "False", "no", "No", "否", "0"};
      std::string t = trim(cell.text);
      if (cell.kind == K::boolean || cell.kind == K::number || cell.kind == K::text) {
        if (std::find(yes.begin(), yes.end(), t) != yes.end()) json = "true";
        if (std::find(no.begin(), no.end(), t) != no.end()) json = "false";
      }
      if (json.empty()) return bad("true or false (是/否, yes/no, 1/0)");
    } else if (col.type == "date") {
      if (cell.kind == K::date) {
        if (!Date::parse(cell.text)) return bad("a date");
        json = json_quote(cell.text);
      } else if (cell.kind == K::text) {
        auto d = detail::text_date(trim(cell.text));
        if (!d) return bad("a date such as 2024-05-20");
        json = json_quote(d->to_string());
      } else {
        return bad(cell.kind == K::number ? "a date (format the cell as a date)" : "a date");
      }
    } else {
      std::string t = cell.kind == K::number ? plain_decimal(cell.text).value_or(cell.text) : cell.text;
      if (invalid_utf8(t)) return bad("UTF-8 text");
      json = json_quote(t);
    }
    return true;
  }

  static std::string json_path(const std::vector<std::string>& steps) {
    std::string out = "$";
    for (const auto& s : steps) out += s[0] == '[' ? s : "." + s;
    return out;
  }

  static JsonTree& place(JsonTree& root, const std::vector<std::string>& steps, std::size_t from, std::size_t to) {
    JsonTree* n = &root;
    for (std::size_t i = from; i < to; ++i) {
      const std::string& step = steps[i];
      if (step[0] == '[') {
        n->is_list = true;
        std::size_t k = std::size_t(std::stoul(step.substr(1)));
        while (n->members.size() <= k) n->members.emplace_back();  // list elements need no key
        n = &n->members[k];
      } else {
        n = &n->child(step);
      }
    }
    return *n;
  }

  void build(const Group& g, BatchInput& in) {
    const SheetRow& first = sheet_.rows[g.rows.front()];
    in.source = sheet_.file;
    in.line = first.number;
    in.id = g.id;
    in.errors.clear();
    in.shown.clear();
    in.cells.clear();
    in.text.clear();
    // A CSV error points at the line of the cell it names; an xlsx one names its cell in the message.
    auto fail = [&](std::string message, std::uint32_t row = 0) {
      int line = xlsx_ ? 0 : int(row ? row : first.number);
      in.errors.push_back(error_at(sheet_.file, std::move(message), line));
    };
    auto row_list = [&] {
      std::string out;
      for (std::size_t i = 0; i < g.rows.size(); ++i)
        out += std::string(i == 0                   ? ""
                           : i + 1 == g.rows.size() ? " and "
                                                    : ", ") +
               std::to_string(sheet_.rows[g.rows[i]].number);
      return out;
    };
    if (g.apart)
      fail(where_sheet() + "application " + g.id + " is in rows " + row_list() +
           ", which other applications' rows separate: sort the sheet by " + m_.group_by +
           " so that its rows are together (not evaluated, so that no row is counted twice)");
    if (group_column_ != none && g.id.empty())
      fail(where(std::uint32_t(group_column_), first.number) + ": expected the application's " + m_.group_by +
           ", got an empty cell");

    JsonTree root;
    std::vector<std::size_t> shown_at;  // index into in.shown per application column
    for (const auto& [col, k] : at_) {
      const Column& c = m_.columns[k];
      if (c.per_row()) continue;
      // An application's cell: the same in each of its rows, or left empty below the first (as
      // merged cells are stored).
      const SheetCell* value = nullptr;
      std::uint32_t value_row = first.number;
      for (std::size_t r : g.rows) {
        const SheetCell* cell = sheet_.rows[r].at(col);
        if (!cell) continue;
        if (!value) {
          value = cell;
          value_row = sheet_.rows[r].number;
        } else if (trim(cell->text) != trim(value->text) && !c.ignored()) {
          fail(where(col, sheet_.rows[r].number) + " (" + c.header + "): application " + g.id + " has " + cell->text +
                   " here but " + value->text + " in " + where(col, value_row) +
                   "; an application's cells must agree across its rows (or stay empty below the first)",
               sheet_.rows[r].number);
          break;
        }
      }
      in.shown.push_back(value ? value->text : "");
      if (c.ignored()) continue;
      in.cells.emplace_back(json_path(c.path), where(col, value_row) + " " + c.header);
      if (!value) continue;  // an empty cell is missing data, never false or 0
      std::string json, why;
      if (!convert(*value, c, json, why)) {
        fail(where(col, value_row) + " (" + c.header + "): " + why, value_row);
        continue;
      }
      place(root, c.path, 0, c.path.size()).leaf = json;
    }

    // One element of the list per row that fills any of its cells.
    std::map<std::string, std::uint32_t> keys;
    std::size_t element = 0;
    for (std::size_t r : g.rows) {
      const SheetRow& row = sheet_.rows[r];
      bool any = false;
      for (const auto& [col, k] : at_)
        if (m_.columns[k].per_row() && row.at(col)) any = true;
      if (!any) continue;
      for (const auto& [col, k] : at_) {
        const Column& c = m_.columns[k];
        if (!c.per_row()) continue;
        std::vector<std::string> steps = c.path;
        steps[c.each] = "[" + std::to_string(element) + "]";
        in.cells.emplace_back(json_path(steps), where(col, row.number) + " " + c.header);
        const SheetCell* cell = row.at(col);
        if (!cell) continue;
        std::string json, why;
        if (!convert(*cell, c, json, why)) {
          fail(where(col, row.number) + " (" + c.header + "): " + why, row.number);
          continue;
        }
        if (k == m_.key) {
          auto [it, fresh] = keys.emplace(json, row.number);
          if (!fresh)
            fail(where(col, row.number) + " (" + c.header + "): application " + g.id + " lists transaction " +
                     cell->text + " again, as in " + where(col, it->second) +
                     "; list it once (not evaluated, so that it is not paid twice)",
                 row.number);
        }
        place(root, steps, 0, steps.size()).leaf = json;
      }
      ++element;
    }
    if (!in.errors.empty()) return;
    root.write(in.text);
  }

  Sheet sheet_;
  Mapping m_;
  bool xlsx_;
  std::vector<std::pair<std::uint32_t, std::size_t>> at_;  ///< sheet column → mapping column, in sheet order
  std::size_t group_column_ = none, id_column_ = none;
  std::vector<Group> groups_;
  std::size_t next_ = 0;
};

}  // namespace

bool mapping_groups_rows(const std::string& mapping) {
  try {
    YAML::Node root = YAML::LoadFile(mapping);
    return root.IsMap() && root["group_by"];
  } catch (const YAML::Exception&) {
    return false;
  }
}

OpenedInput open_sheet(const std::string& path, const SheetOptions& options) {
  OpenedInput opened;
  Mapping mapping = read_mapping(options.mapping, opened.errors);
  if (!opened.errors.empty()) return opened;
  bool xlsx = options.xlsx || is_xlsx(path);
  std::optional<Sheet> sheet =
      xlsx ? read_xlsx(path, options.sheet.empty() ? mapping.sheet : options.sheet, opened.errors, options.limits)
           : read_csv(path, options.limits, opened.errors);
  if (!sheet) return opened;
  auto docs = std::make_unique<SheetDocuments>(std::move(*sheet), std::move(mapping), xlsx);
  if (docs->open(options.mapping, opened.errors, opened.columns)) opened.source = std::move(docs);
  return opened;
}

}  // namespace rulebook
