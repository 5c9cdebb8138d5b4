// Sheets as inputs: a header row names columns that a mapping ties to document paths; with
// `group_by` the rows of one application (one per transaction) become one document. The whole
// sheet is read before any document is made, because whether an application's rows are
// together, or a transaction is listed twice, is only known at the end: a malformed application
// is then one error record, never a document evaluated on part of its rows.

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <map>
#include <set>

#include "batch/csv.hpp"
#include "batch/json_tree.hpp"
#include "report/present.hpp"
#include "sheet/cells.hpp"
#include "sheet/sheet.hpp"
#include "value/json_number.hpp"
#include "value/os_reason.hpp"
#include "value/utf8.hpp"
#include "yaml/yaml.hpp"

namespace rulebook {
namespace {

using detail::json_quote;
using detail::JsonTree;

using Column = detail::MappedColumn;
using Mapping = detail::CsvMapping;
constexpr std::size_t none = detail::no_index;

Error error_at(const std::string& file, std::string message, std::string zh, int line = 0) {
  return {Error::Code::input, std::move(message), {file, line, line ? 1 : 0}, {}, {}, {}, std::move(zh)};
}

std::string trim(std::string_view s) { return std::string(trim_space(s)); }

// A CSV file as a sheet of text cells (csv.hpp's strict reader); a row's number is the line it
// starts on. A malformed record (a stray quote, a row wider or narrower than the header) is kept
// with its error and the cells before the fault, so that only its application is refused.
std::optional<Sheet> read_csv(const std::string& file, const SheetLimits& limits, std::vector<Error>& errors) {
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    auto [en, zh] = detail::cannot_read_file(errno ? errno : EIO);
    errors.push_back(error_at(file, std::move(en), std::move(zh)));
    return std::nullopt;
  }
  Sheet sheet{file, {}, {}};
  detail::CsvReader csv(in, file, limits.max_uncompressed);
  for (detail::CsvReader::Row row; csv.next(row);) {
    if (csv.bytes_read() > limits.max_uncompressed) {
      errors.push_back(
          error_at(file,
                   "a grouped CSV sheet is read whole, and this one is larger than " +
                       std::to_string(limits.max_uncompressed >> 20) + " MiB",
                   "分组的 CSV 表格须整体读入，该表格超过 " + std::to_string(limits.max_uncompressed >> 20) + " MiB"));
      return std::nullopt;
    }
    if (row.error && sheet.rows.empty()) {  // the header: no column could be named
      errors.push_back(std::move(*row.error));
      return std::nullopt;
    }
    SheetRow r{std::uint32_t(row.line), {}, {}};
    if (row.error) {
      r.refused.emplace_back(SheetRow::whole, std::move(*row.error));
      row.cells.pop_back();  // the cell the fault is in (a row too wide or narrow is refused whole anyway)
    }
    for (std::size_t c = 0; c < row.cells.size(); ++c)
      if (!trim(row.cells[c]).empty())
        r.cells.emplace_back(std::uint32_t(c), SheetCell{SheetCell::Kind::text, std::move(row.cells[c])});
    sheet.rows.push_back(std::move(r));
  }
  return sheet;
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

// The value a choice's text names: a value as written, or a label (English in any case); null
// when it names none. What a reviewer types is the label, what the rules read the value.
const std::string* chosen(const TemplateColumn& c, const std::string& text) {
  std::string low = lower_ascii(text);
  for (const auto& v : c.values)
    if (v == text || lower_ascii(v) == low) return &v;
  for (const auto& [label, value] : c.choices)
    if (label == text || lower_ascii(label) == low) return &value;
  return nullptr;
}

// A list's items as one cell holds them: separated by 、 ， , ； ; or line breaks.
std::vector<std::string> list_items(std::string_view text) {
  std::vector<std::string> out;
  std::string item;
  auto end_item = [&] {
    if (std::string t = trim(item); !t.empty()) out.push_back(std::move(t));
    item.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = 0;
    for (std::string_view sep : {"、", "，", "；", ",", ";", "\n", "\r"})
      if (text.substr(i).starts_with(sep)) n = sep.size();
    if (n) {
      end_item();
      i += n;
    } else {
      item += text[i++];
    }
  }
  end_item();
  return out;
}

// A list of choices in words, for what a cell should have held: 中国专利金奖、中国专利优秀奖、其他.
std::string choice_names(const TemplateColumn& c, std::string_view lang) {
  std::string out;
  for (const auto& v : c.values) out += (out.empty() ? "" : lang == "en" ? ", " : "、") + c.shown(v, lang);
  return out;
}

class SheetDocuments final : public InputSource {
 public:
  SheetDocuments(Sheet sheet, Mapping mapping, bool xlsx)
      : sheet_(std::move(sheet)), m_(std::move(mapping)), xlsx_(xlsx) {}

  /// Matches the header row to the mapping; errors for columns either lacks.
  bool open(const SheetOptions& options, std::vector<Error>& errors, std::vector<std::string>& shown) {
    const std::string& mapping_file = options.mapping;
    lang_ = options.lang;
    template_ = !options.template_name.empty();
    // What each column's field is, when the pack is known: its choices' labels, whether a list.
    if (options.pack)
      for (const auto& c : m_.columns) {
        std::string dotted;  // transactions, [], contract, amount → transactions[].contract.amount
        for (const auto& step : c.path) dotted += step[0] == '[' ? "[]" : (dotted.empty() ? "" : ".") + step;
        fields_.push_back(c.ignored() ? std::nullopt : std::optional(template_column(*options.pack, dotted)));
      }
    fields_.resize(m_.columns.size());
    if (sheet_.rows.empty()) {
      errors.push_back(error_at(sheet_.file, where_sheet() + "expected a header row naming the columns",
                                where_sheet() + "缺少标题行（第一行应列出各列名称）"));
      return false;
    }
    // A template's sheet has no mapping to edit: it is told to head its columns as the template does.
    std::string headers, headers_zh;
    for (const auto& c : m_.columns) {
      headers += (headers.empty() ? "" : ", ") + c.header;
      headers_zh += (headers_zh.empty() ? "" : "、") + c.header;
    }
    const SheetRow& header = sheet_.rows[0];
    std::set<std::string> seen;
    for (const auto& [col, cell] : header.cells) {
      std::string h = trim(cell.text);
      auto it = std::find_if(m_.columns.begin(), m_.columns.end(), [&](const Column& c) { return c.header == h; });
      if (it == m_.columns.end()) {
        errors.push_back(error_at(
            sheet_.file,
            where(col, header.number) + ": column '" + h + "' " +
                (template_
                     ? "is not a column of " + options.template_name + ": head the columns as the template does (" +
                           headers + "), or download the template again"
                     : "is not in the mapping " + mapping_file + ": map it under columns: or list it under ignore:"),
            where(col, header.number) + "：列「" + h + "」" +
                (template_ ? "不是 " + options.template_name_zh + "中的列（请按模板填写列名：" + headers_zh +
                                 "；或重新下载模板）"
                           : "不在列映射中（请在 columns: 下映射，或列入 ignore:）"),
            xlsx_ ? 0 : int(header.number)));
        continue;
      }
      if (!seen.insert(h).second) {
        errors.push_back(error_at(sheet_.file, where(col, header.number) + ": column '" + h + "' appears twice",
                                  where(col, header.number) + "：列「" + h + "」出现了两次",
                                  xlsx_ ? 0 : int(header.number)));
        continue;
      }
      at_.emplace_back(col, std::size_t(it - m_.columns.begin()));
      if (!it->per_row()) shown.push_back(h);
      if (h == m_.group_by) group_column_ = col;
      if (it->path == std::vector<std::string>{"id"}) id_column_ = col;
    }
    std::vector<std::string> lacked;
    for (const auto& c : m_.columns)
      if (!seen.count(c.header)) {
        lacked.push_back(c.header);
        if (!template_)
          errors.push_back(error_at(
              mapping_file,
              "the mapping names column '" + c.header + "', which " + sheet_.file +
                  (xlsx_ ? " (" + sheet_.name + ")" : "") + " lacks",
              "列映射中的列「" + c.header + "」在" + (xlsx_ ? "工作表「" + sheet_.name + "」" : "表格") + "中不存在"));
      }
    if (template_ && !lacked.empty()) {  // a sheet made from an older template, say: once, at the sheet
      std::string names, names_zh;
      for (const auto& h : lacked) {
        names += (names.empty() ? "'" : ", '") + h + "'";
        names_zh += "「" + h + "」";
      }
      bool one = lacked.size() == 1;
      errors.push_back(error_at(
          sheet_.file,
          (xlsx_ ? "the worksheet " + sheet_.name : std::string("the sheet")) + " lacks the column" +
              (one ? " " : "s ") + names + " of " + options.template_name + ": add " + (one ? "it" : "them") +
              " as the template heads " + (one ? "it" : "them") + ", or download the template again",
          (xlsx_ ? "工作表「" + sheet_.name + "」" : std::string("表格")) + "缺少 " + options.template_name_zh +
              "中的列" + names_zh + "（请按模板添加" + (one ? "该列" : "这些列") + "，或重新下载模板）",
          xlsx_ ? 0 : int(header.number)));
    }
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
    std::size_t like = none;  ///< an earlier group whose id differs only as normalize_id ignores
  };

  // A malformed CSV record: of its cells only the application's id is read (the others may
  // have shifted), and its error alone is said.
  static bool broken(const SheetRow& row) {
    return std::any_of(row.refused.begin(), row.refused.end(),
                       [](const auto& r) { return r.first == SheetRow::whole; });
  }

  std::string where_sheet() const { return xlsx_ ? sheet_.name + ": " : ""; }
  std::string where(std::uint32_t col, std::uint32_t row) const {
    return (xlsx_ ? sheet_.name + "!" : "") + cell_ref(col, row);
  }

  // Applications in order of their first row; rows of one id that others interrupt are marked.
  void group() {
    std::map<std::string, std::size_t> index, normalized;
    std::string last;
    for (std::size_t r = 1; r < sheet_.rows.size(); ++r) {
      // Ungrouped rows still carry their id (the column mapped to `id`) for their error records.
      std::string id;
      std::size_t id_column = group_column_ != none ? group_column_ : id_column_;
      if (id_column != none)
        if (const SheetCell* c = sheet_.rows[r].at(std::uint32_t(id_column)))
          id = trim(c->kind == SheetCell::Kind::number ? plain_decimal(c->text).value_or(c->text) : c->text);
      // A row with no id below an application's rows is one more of them: an id cell merged over
      // several rows is stored in the first alone (README: sheets as offices keep them). Not a
      // malformed one, whose id may be what went missing: it would make the application above it
      // invalid and leave its own without a record (helper-67).
      const auto& refused = sheet_.rows[r].refused;
      const bool malformed = !refused.empty() && refused.front().first == SheetRow::whole;
      if (group_column_ != none && id.empty() && !malformed) id = last;
      if (group_column_ == none || id.empty()) {  // ungrouped, or a first row without its application's id
        groups_.push_back({id, {r}, false});
        last.clear();
        continue;
      }
      auto [it, fresh] = index.emplace(id, groups_.size());
      if (fresh) {
        // Ａ-1 and A-1 (full-width, letter case, spaces inside) are one application to a reader:
        // two groups would each be granted a per-unit cap.
        auto [same, first] = normalized.emplace(normalize_id(id), groups_.size());
        groups_.push_back({id, {r}, false, first ? none : same->second});
      } else {
        groups_[it->second].rows.push_back(r);
        if (last != id) groups_[it->second].apart = true;
      }
      last = id;
    }
  }

  // The cell as JSON of the column's type, or what is wrong with it, in English and Chinese; with
  // `picked`, a choice's value or a list's values as read (what the cell is shown as).
  bool convert(const SheetCell& cell, std::size_t k, std::string& json, std::string& why, std::string& why_zh,
               std::vector<std::string>* picked = nullptr) const {
    using K = SheetCell::Kind;
    const Column& col = m_.columns[k];
    auto bad = [&](const std::string& what, const std::string& zh) {
      why = "expected " + what + ", got " +
            (cell.kind == K::text ? "\"" + cell.text + "\""
                                  : std::string(cell.kind == K::date ? "the date " : "") + cell.text);
      why_zh =
          "应为" + zh + "，实际为" +
          (cell.kind == K::text ? "“" + cell.text + "”" : std::string(cell.kind == K::date ? "日期 " : "") + cell.text);
      return false;
    };
    if (cell.kind == K::error) return bad("a value (the cell holds a formula error)", "一个值（该单元格的公式出错）");
    // A template's choice by its label, and a list's items in one cell (TemplateColumn::list).
    const TemplateColumn* field = fields_[k] ? &*fields_[k] : nullptr;
    if (template_ && field && col.type == "string" && (field->list || !field->values.empty())) {
      std::string text = trim(cell.kind == K::number ? plain_decimal(cell.text).value_or(cell.text) : cell.text);
      if (invalid_utf8(text)) return bad("UTF-8 text", "UTF-8 编码的文本");
      std::vector<std::string> values;
      if (!field->list) {
        const std::string* v = chosen(*field, text);
        if (!v) return bad("one of " + choice_names(*field, "en"), "以下之一：" + choice_names(*field, "zh"));
        values.push_back(*v);
        json = json_quote(*v);
      } else {
        // 无 says there is none; an empty cell says nothing (missing data, asked for).
        std::vector<std::string> items;
        if (text != "无" && lower_ascii(text) != "none") {
          items = list_items(text);
          if (items.empty())  // separators alone (、、) say neither what nor that there is none
            return bad("items separated by 、 or ；, or 无 when there is none", "以“、”或“；”分隔的各项，如无，填“无”");
        }
        json = "[";
        for (const auto& item : items) {
          const std::string* v = field->values.empty() ? &item : chosen(*field, item);
          if (!v) {
            why = "expected each item to be one of " + choice_names(*field, "en") +
                  ", separated by 、 or ； (无 when there is none), got \"" + item + "\"";
            why_zh = "每一项应为以下之一：" + choice_names(*field, "zh") +
                     "（多项以“、”或“；”分隔，如无，填“无”），实际为“" + item + "”";
            return false;
          }
          json += (values.empty() ? "" : ",") + json_quote(*v);
          values.push_back(*v);
        }
        json += "]";
      }
      if (picked) *picked = std::move(values);
      return true;
    }
    if (col.type == "number" && cell.kind == K::number) {
      json = plain_decimal(cell.text).value_or("");
      if (!json.empty() && !Decimal::parse(json))  // named at its cell, as written, not as the document's number
        return bad("a number of " + std::string(number_range), "数字（" + std::string(number_range_zh) + "）");
      return !json.empty() || bad("a number", "数字");
    }
    if (col.type == "date" && cell.kind == K::date) {
      if (!Date::parse(cell.text)) return bad("a date", "日期");
      json = json_quote(cell.text);
      return true;
    }
    if (col.type == "number" || col.type == "date") {
      if (cell.kind != K::text)
        return col.type == "number" ? bad("a number", "数字")
               : cell.kind == K::number ? bad("a date (format the cell as a date)", "日期（请将单元格设为日期格式）")
                                        : bad("a date", "日期");
    } else if (col.type == "boolean" && cell.kind == K::date) {
      return bad("true or false (是/否, yes/no, 1/0)", "是或否（是/否、yes/no、1/0）");
    }
    // Text, and the booleans and numbers (as 1/0, or an id) that text columns read as written.
    std::string text = cell.kind == K::number ? plain_decimal(cell.text).value_or(cell.text) : cell.text;
    std::string expected, expected_zh;
    if (!detail::text_cell_json(col.type, text, json, expected, &expected_zh)) return bad(expected, expected_zh);
    return true;
  }

  // Two cells of one application's column hold one value: as written, or as read (专利服务机构
  // and patent_service_agency, 是 and true, 3,000,000 and 3000000).
  bool same_value(const SheetCell& a, const SheetCell& b, std::size_t k) const {
    if (trim(a.text) == trim(b.text)) return true;
    std::string ja, jb, why, why_zh;
    return convert(a, k, ja, why, why_zh) && convert(b, k, jb, why, why_zh) && ja == jb;
  }

  // An application's cell as the results show it beside its verdict: a choice by its label, a
  // list by its items' labels (无 when empty), a boolean as 是/否, in the results' language;
  // anything else as written.
  std::string shown(const SheetCell& cell, std::size_t k, const std::string& json,
                    const std::vector<std::string>& picked) const {
    const report::Words& w = report::words(lang_);
    const TemplateColumn* field = fields_[k] ? &*fields_[k] : nullptr;
    if (m_.columns[k].type == "boolean") return json == "true" ? w.yes : w.no;
    if (!field || m_.columns[k].type != "string") return cell.text;
    if (field->list && json.starts_with('[')) {
      if (picked.empty()) return w.none;
      std::string out;
      for (const auto& v : picked) out += (out.empty() ? "" : lang_ == "en" ? ", " : "、") + field->shown(v, lang_);
      return out;
    }
    if (field->labels.empty()) return cell.text;
    return field->shown(picked.empty() ? trim(cell.text) : picked.front(), lang_);
  }

  // Beside an empty cell of a list: a reviewer with nothing to list says so (an empty cell is
  // missing data, asked for, never "none").
  std::string hint(std::size_t k) const {
    if (!template_ || !fields_[k] || !fields_[k]->list) return {};
    return lang_ == "en" ? " (write 无 or none when there is none)" : "（如无，请填“无”）";
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
    auto fail = [&](std::string message, std::string zh, std::uint32_t row = 0) {
      int line = xlsx_ ? 0 : int(row ? row : first.number);
      in.errors.push_back(error_at(sheet_.file, std::move(message), std::move(zh), line));
    };
    auto row_list = [&](const char* comma, const char* last_comma) {
      std::string out;
      for (std::size_t i = 0; i < g.rows.size(); ++i)
        out += std::string(i == 0                   ? ""
                           : i + 1 == g.rows.size() ? last_comma
                                                    : comma) +
               std::to_string(sheet_.rows[g.rows[i]].number);
      return out;
    };
    if (g.apart)
      fail(where_sheet() + "application " + g.id + " is in rows " + row_list(", ", " and ") +
               ", which other applications' rows separate: sort the sheet by " + m_.group_by +
               " so that its rows are together (not evaluated, so that no row is counted twice)",
           where_sheet() + "申请 " + g.id + " 位于第 " + row_list("、", "和") + " 行，中间隔有其他申请的行：请按「" +
               m_.group_by + "」排序，使其各行相邻（未评审，以免重复计算）");
    if (g.like != none) {
      const Group& other = groups_[g.like];
      std::string here = where(std::uint32_t(group_column_), first.number),
                  there = where(std::uint32_t(group_column_), sheet_.rows[other.rows.front()].number);
      fail(here + " (" + m_.group_by + "): application " + g.id + " and application " + other.id + " in " + there +
               " differ only in full-width characters, letter case or spaces: write one application's id alike in "
               "all its rows, or tell two applications apart by more (not evaluated, so that nothing is granted twice)",
           here + "（" + m_.group_by + "）：申请 " + g.id + " 与 " + there + " 的申请 " + other.id +
               " 仅在全角/"
               "半角、大小写或空格上不同：同一申请各行的编号须写法一致，不同申请的编号须有实质区别（未评审，以免重复资"
               "助）");
    }
    if (group_column_ != none && g.id.empty() && !broken(first))
      fail(where(std::uint32_t(group_column_), first.number) + ": expected the application's " + m_.group_by +
               ", got an empty cell",
           where(std::uint32_t(group_column_), first.number) + "：应填写申请的「" + m_.group_by + "」，该单元格为空");

    // A value under an empty header cell is read by no column: refused, never dropped. Past a
    // workbook's header, to its right, are notes and totals, no part of the table (a CSV row is
    // as wide as its header); nor is a column the mapping ignores.
    const SheetRow& header = sheet_.rows[0];
    auto read = [&](std::uint32_t col) {
      if (xlsx_ && col > header.cells.back().first) return false;
      auto it = std::find_if(at_.begin(), at_.end(), [&](const auto& a) { return a.first == col; });
      return it == at_.end() || !m_.columns[it->second].ignored();
    };
    // A malformed CSV record, and what the reader refused in the columns read (a cell shown as 万
    // or a percentage, a formula without its value): this application's errors, not the sheet's.
    for (std::size_t r : g.rows)
      for (const auto& [col, e] : sheet_.rows[r].refused)
        if (col == SheetRow::whole || read(col)) in.errors.push_back(e);
    for (std::size_t r : g.rows)
      for (const auto& [col, cell] : sheet_.rows[r].cells)
        if (!broken(sheet_.rows[r]) && !header.at(col) && read(col)) {
          std::string at = where(col, sheet_.rows[r].number), head = where(col, header.number);
          fail(at + ": " + cell.text + " is in a column without a header (" + head +
                   " is empty): head the column as the mapping does, or clear the cell",
               at + "：" + cell.text + " 所在的列没有标题（" + head + " 为空）：请按列映射填写该列标题，或清空该单元格",
               sheet_.rows[r].number);
        }

    JsonTree root;
    for (const auto& [col, k] : at_) {
      const Column& c = m_.columns[k];
      if (c.per_row()) continue;
      // An application's cell: the same in each of its rows, or left empty below the first (as
      // merged cells are stored).
      const SheetCell* value = nullptr;
      std::uint32_t value_row = first.number;
      for (std::size_t r : g.rows) {
        const SheetCell* cell = broken(sheet_.rows[r]) ? nullptr : sheet_.rows[r].at(col);
        if (!cell) continue;
        if (!value) {
          value = cell;
          value_row = sheet_.rows[r].number;
        } else if (!c.ignored() && !same_value(*cell, *value, k)) {
          fail(where(col, sheet_.rows[r].number) + " (" + c.header + "): application " + g.id + " has " + cell->text +
                   " here but " + value->text + " in " + where(col, value_row) +
                   "; an application's cells must agree across its rows (or stay empty below the first)",
               where(col, sheet_.rows[r].number) + "（" + c.header + "）：申请 " + g.id + " 此处为 " + cell->text +
                   "，但 " + where(col, value_row) + " 为 " + value->text +
                   "；同一申请各行的该列须一致（或首行以下留空）",
               sheet_.rows[r].number);
          break;
        }
      }
      std::string json, why, why_zh;
      std::vector<std::string> picked;
      bool converted = value && !c.ignored() && convert(*value, k, json, why, why_zh, &picked);
      in.shown.push_back(!value ? "" : converted ? shown(*value, k, json, picked) : value->text);
      if (c.ignored()) continue;
      in.cells.emplace_back(json_path(c.path), where(col, value_row) + " " + c.header + (value ? "" : hint(k)));
      if (!value) continue;  // an empty cell is missing data, never false or 0
      if (!converted) {
        fail(where(col, value_row) + " (" + c.header + "): " + why,
             where(col, value_row) + "（" + c.header + "）：" + why_zh, value_row);
        continue;
      }
      place(root, c.path, 0, c.path.size()).leaf = json;
    }

    // One element of the list per row that fills any of its cells.
    std::map<std::string, std::uint32_t> keys;
    std::size_t element = 0;
    for (std::size_t r : g.rows) {
      const SheetRow& row = sheet_.rows[r];
      if (broken(row)) continue;
      bool any = false;
      for (const auto& [col, k] : at_)
        if (m_.columns[k].per_row() && row.at(col)) any = true;
      if (!any) continue;
      for (const auto& [col, k] : at_) {
        const Column& c = m_.columns[k];
        if (!c.per_row()) continue;
        std::vector<std::string> steps = c.path;
        steps[c.each] = "[" + std::to_string(element) + "]";
        const SheetCell* cell = row.at(col);
        in.cells.emplace_back(json_path(steps), where(col, row.number) + " " + c.header + (cell ? "" : hint(k)));
        if (!cell) continue;
        std::string json, why, why_zh;
        if (!convert(*cell, k, json, why, why_zh)) {
          fail(where(col, row.number) + " (" + c.header + "): " + why,
               where(col, row.number) + "（" + c.header + "）：" + why_zh, row.number);
          continue;
        }
        if (k == m_.key) {
          auto [it, fresh] = keys.emplace(json, row.number);
          if (!fresh)
            fail(where(col, row.number) + " (" + c.header + "): application " + g.id + " lists transaction " +
                     cell->text + " again, as in " + where(col, it->second) +
                     "; list it once (not evaluated, so that it is not paid twice)",
                 where(col, row.number) + "（" + c.header + "）：申请 " + g.id + " 再次列出交易 " + cell->text +
                     "（与 " + where(col, it->second) + " 重复）；每笔交易只能列一次（未评审，以免重复支付）",
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
  bool template_ = false;  ///< a pack's template: choices by their labels, lists in one cell
  std::string lang_ = "zh";
  std::vector<std::optional<TemplateColumn>> fields_;      ///< per mapping column, its field when the pack is known
  std::vector<std::pair<std::uint32_t, std::size_t>> at_;  ///< sheet column → mapping column, in sheet order
  std::size_t group_column_ = none, id_column_ = none;
  std::vector<Group> groups_;
  std::size_t next_ = 0;
};

}  // namespace

bool mapping_groups_rows(const std::string& mapping) {
  const auto parsed = yaml::parse_file(mapping);
  return static_cast<bool>(parsed.document.root()["group_by"]);
}

OpenedInput open_sheet(const std::string& path, const SheetOptions& options) {
  OpenedInput opened;
  Mapping mapping = detail::read_mapping(options.mapping, opened.errors);
  if (!opened.errors.empty()) return opened;
  bool xlsx = options.xlsx || is_xlsx(path);
  std::optional<Sheet> sheet =
      xlsx ? read_xlsx(path, options.sheet.empty() ? mapping.sheet : options.sheet, opened.errors, options.limits)
           : read_csv(path, options.limits, opened.errors);
  if (!sheet) return opened;
  auto docs = std::make_unique<SheetDocuments>(std::move(*sheet), std::move(mapping), xlsx);
  if (docs->open(options, opened.errors, opened.columns)) opened.source = std::move(docs);
  return opened;
}

}  // namespace rulebook
