// One CSV tokenizer, one mapping reader and one text-cell conversion for batch's streaming CSV
// and for sheets (see csv.hpp).

#include "batch/csv.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "batch/json_tree.hpp"
#include "rulebook/decimal.hpp"
#include "value/utf8.hpp"
#include "yaml/yaml.hpp"

namespace rulebook::detail {
namespace {

std::string trim(std::string_view s) { return std::string(trim_space(s)); }

std::string place(const yaml::Mark& m) { return std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1); }

// Text expected where the mapping has a list or a mapping: the mapping is refused as a whole,
// with the words it always had ("bad conversion").
struct NotText {
  yaml::Mark mark;
};

// A scalar's text; a null (`~`, or nothing) reads "null", as it always did.
std::string text_of(const yaml::Node& n) {
  if (n.is_null()) return "null";
  if (!n.is_scalar()) throw NotText{n.mark()};
  return n.text();
}

// "3,000,000.00": commas only between groups of three digits of the whole part.
bool grouped_thousands(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  std::string_view whole = s.substr(0, s.find_first_of(".eE"));
  if (s.substr(whole.size()).find(',') != std::string_view::npos) return false;
  std::size_t first = whole.find(',');
  if (first == 0 || first > 3) return false;
  for (std::size_t i = first; i < whole.size(); i += 4)
    if (whole[i] != ',' || whole.size() - i < 4 || whole.substr(i + 1, 3).find(',') != std::string_view::npos)
      return false;
  return true;
}

}  // namespace

CsvMapping read_mapping(const std::string& file, std::vector<Error>& errors) {
  CsvMapping m;
  const auto parsed = yaml::parse_file(file);
  if (parsed.error) {
    const auto& e = *parsed.error;
    errors.push_back({Error::Code::yaml,
                      e.message,
                      {file, e.mark.line + 1, e.mark.column + 1},
                      {},
                      {},
                      {},
                      "列映射文件不是有效的 YAML（" + e.message + "）"});
    return m;
  }
  try {
    const yaml::Node root = parsed.document.root();
    auto bad = [&](const yaml::Node& at, const std::string& what, const std::string& zh) {
      errors.push_back({Error::Code::yaml,
                        "expected " + what,
                        {file, at.mark().line + 1, at.mark().column + 1},
                        {},
                        {},
                        {},
                        "列映射有误：" + zh});
    };
    if (!root.is_map() || !root["columns"] || !root["columns"].is_map()) {
      bad(root, "a mapping with 'columns:' (column header: document path, or {path, type})",
          "应为含 columns: 的映射（列标题: 文档路径，或 {path, type}）");
      return m;
    }
    std::map<std::string, yaml::Mark> headers;  // where each header is named first
    auto named_once = [&](const yaml::Node& key) {
      auto [it, fresh] = headers.emplace(text_of(key), key.mark());
      if (!fresh)
        bad(key,
            "each column named once, under columns: or ignore:, but '" + excerpt(it->first) +
                "' is already named at line " + place(it->second),
            "列「" + excerpt(it->first) + "」重复（已在第 " + place(it->second) +
                " 处列出；columns: 与 ignore: 中每列只能出现一次）");
      return fresh;
    };
    std::vector<yaml::Mark> marks;  // of each mapped column's path
    for (const auto& kv : root["columns"].pairs()) {
      if (!named_once(kv.key)) continue;
      MappedColumn c;
      c.header = text_of(kv.key);
      std::string path;
      if (kv.value.is_scalar()) {
        path = text_of(kv.value);
      } else if (kv.value.is_map() && kv.value["path"]) {
        path = text_of(kv.value["path"]);
        if (kv.value["type"]) c.type = text_of(kv.value["type"]);
      } else {
        bad(kv.value, "a document path such as contract.amount, or {path: …, type: …}",
            "应为文档路径（如 contract.amount），或 {path: …, type: …}");
        continue;
      }
      if (c.type != "string" && c.type != "number" && c.type != "boolean" && c.type != "date")
        bad(kv.value, "type string, number, boolean or date, got '" + excerpt(c.type) + "'",
            "类型应为 string、number、boolean 或 date，实际为「" + excerpt(c.type) + "」");
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
      bool ok = !c.path.empty() && c.path[0][0] != '[';
      if (c.path.size() > max_path_steps) {
        bad(kv.value, "a path of at most " + std::to_string(max_path_steps) + " steps",
            "路径至多 " + std::to_string(max_path_steps) + " 步");
        continue;
      }
      for (std::size_t i = 0; ok && i < c.path.size(); ++i) {
        const std::string& s = c.path[i];
        if (s == "[]") {
          if (c.each != no_index)
            bad(kv.value, "at most one [] in a path: a row adds one element to one list",
                "路径中至多一个 []：每行只向一个列表添加一项");
          c.each = i;
        } else if (s[0] == '[' && (s.size() < 3 || s.size() > 5 || s.back() != ']' ||
                                   s.find_first_not_of("0123456789", 1) != s.size() - 1)) {
          // An index is a small whole number: [100000000] would build a list of that many elements.
          bad(kv.value, "a list index from [0] to [999], or [] (this row's element), got '" + excerpt(s) + "'",
              "列表下标应为 [0] 至 [999]，或 []（本行的一项），实际为「" + excerpt(s) + "」");
          ok = false;
        }
      }
      if (c.path.empty() || c.path[0][0] == '[')
        bad(kv.value, "a document path such as applicant.type", "应为文档路径（如 applicant.type）");
      if (!ok) continue;
      if (c.per_row()) {
        std::vector<std::string> list(c.path.begin(), c.path.begin() + std::ptrdiff_t(c.each));
        if (m.list.empty())
          m.list = list;
        else if (m.list != list)
          bad(kv.value, "every [] path to name the same list (the row's element), as the others name " + m.list[0],
              "所有含 [] 的路径应指向同一列表（其他列指向 " + m.list[0] + "）");
        if (c.path.size() == c.each + 2 && c.path.back() == "id") m.key = m.columns.size();
      }
      m.columns.push_back(std::move(c));
      marks.push_back(kv.value.mark());
    }
    // Two columns writing one path: the second would overwrite the first, or a value would hold
    // members (transactions[0] and transactions[0].id).
    std::map<std::vector<std::string>, std::size_t> paths;
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
      auto [it, fresh] = paths.emplace(m.columns[i].path, i);
      if (!fresh)
        errors.push_back({Error::Code::yaml,
                          "expected one column per document path, but columns '" + m.columns[it->second].header +
                              "' and '" + m.columns[i].header + "' both write it",
                          {file, marks[i].line + 1, marks[i].column + 1},
                          {},
                          {},
                          {},
                          "列映射有误：「" + m.columns[it->second].header + "」与「" + m.columns[i].header +
                              "」两列写入同一文档路径（每个路径只能对应一列）"});
    }
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      for (std::size_t n = 1; n < m.columns[i].path.size(); ++n) {
        std::vector<std::string> prefix(m.columns[i].path.begin(), m.columns[i].path.begin() + std::ptrdiff_t(n));
        if (auto it = paths.find(prefix); it != paths.end())
          errors.push_back({Error::Code::yaml,
                            "expected a path no other column holds, but column '" + m.columns[it->second].header +
                                "' sets the value this column '" + m.columns[i].header + "' would be a member of",
                            {file, marks[i].line + 1, marks[i].column + 1},
                            {},
                            {},
                            {},
                            "列映射有误：「" + m.columns[it->second].header + "」列已设定整个值，「" +
                                m.columns[i].header + "」列不能再写入其中的成员"});
      }
    if (const auto& ignore = root["ignore"]; ignore && ignore.is_sequence())
      for (const auto& col : ignore.elements())
        if (named_once(col)) m.columns.push_back({text_of(col), {}, "string", no_index});
    if (const auto& g = root["group_by"]) {
      m.group_by = text_of(g);
      auto it = std::find_if(m.columns.begin(), m.columns.end(),
                             [&](const MappedColumn& c) { return c.header == m.group_by; });
      if (it == m.columns.end())
        bad(g, "group_by to name a column of the mapping (under columns: or ignore:), got '" + m.group_by + "'",
            "group_by 应为映射中的一列（columns: 或 ignore: 下），实际为「" + m.group_by + "」");
      else if (it->per_row())
        bad(g, "group_by to name an application's column, not one of the row's [] element",
            "group_by 应为申请层面的列，不能是每行 [] 项中的列");
    }
    if (const auto& s = root["sheet"]) m.sheet = text_of(s);
  } catch (const NotText& e) {
    errors.push_back({Error::Code::yaml,
                      "bad conversion",
                      {file, e.mark.line + 1, e.mark.column + 1},
                      {},
                      {},
                      {},
                      "列映射文件不是有效的 YAML（bad conversion）"});
  }
  return m;
}

std::optional<std::string> plain_decimal(std::string_view s) {
  std::string sign;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') sign = "-";
    s.remove_prefix(1);
  }
  std::string digits;
  std::int64_t point = -1;  // digits before the decimal point
  std::size_t i = 0;
  for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (point >= 0) return std::nullopt;
      point = std::int64_t(digits.size());
    } else {
      digits += s[i];
    }
  }
  if (digits.empty()) return std::nullopt;
  if (point < 0) point = std::int64_t(digits.size());
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return std::nullopt;
    ++i;
    bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i == s.size()) return std::nullopt;
    std::int64_t e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || e > 400) return std::nullopt;  // beyond any double Excel stores
      e = e * 10 + (s[i] - '0');
    }
    point += negative ? -e : e;
  }
  // Place the point, padding with zeros on either side. Leading zeros go; trailing ones stay,
  // as the scale was written ("6,000,000.00" keeps its cents).
  if (point <= 0) {
    digits.insert(0, std::size_t(1 - point), '0');
    point = 1;
  }
  if (point > std::int64_t(digits.size())) digits.append(std::size_t(point - std::int64_t(digits.size())), '0');
  std::string whole = digits.substr(0, std::size_t(point)), frac = digits.substr(std::size_t(point));
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  if (whole == "0" && frac.find_first_not_of('0') == std::string::npos) sign.clear();
  return sign + whole + (frac.empty() ? "" : "." + frac);
}

std::optional<Date> text_date(std::string_view s) {
  if (auto d = Date::parse(s)) return d;
  // A year of four digits, then a month and a day of one or two: 24/3/15 is no date (not 0024).
  int parts[3] = {0, 0, 0}, widths[3] = {0, 0, 0}, k = 0;
  std::string_view last;  // the last separator
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') {
      if (k > 2 || ++widths[k] > (k == 0 ? 4 : 2)) return std::nullopt;
      parts[k] = parts[k] * 10 + (c - '0');
      ++i;
      continue;
    }
    if (k > 2 || !widths[k]) return std::nullopt;
    std::string_view rest = s.substr(i);
    last = {};
    for (std::string_view sep : {"-", "/", ".", "年", "月", "日"})
      if (rest.starts_with(sep)) last = sep;
    if (last.empty()) return std::nullopt;
    i += last.size();
    ++k;
  }
  bool ends_with_day = k == 3 && last == "日";  // 2024年3月15日; not 2024-3-15-
  if (widths[0] != 4 || !((k == 2 && widths[2]) || ends_with_day)) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  return Date::parse(buf);
}

bool text_cell_json(std::string_view type, std::string_view text, std::string& json, std::string& why,
                    std::string* why_zh) {
  std::string t = trim(text);
  auto refuse = [&](const char* en, const char* zh) {
    why = en;
    if (why_zh) *why_zh = zh;
    return false;
  };
  if (type == "number") {
    std::string digits;
    if (t.find(',') != std::string::npos) {
      if (!grouped_thousands(t))
        return refuse(
            "a number (a comma only between groups of three digits, as in 1,500,000.00; a decimal point, not a comma)",
            "数字（逗号只用于每三位分隔，如 1,500,000.00；小数用小数点，不用逗号）");
      std::remove_copy(t.begin(), t.end(), std::back_inserter(digits), ',');
    } else {
      digits = t;
    }
    auto plain = plain_decimal(digits);
    if (!plain || !Decimal::parse(*plain)) return refuse("a number", "数字");
    json = *plain;
  } else if (type == "boolean") {
    static const std::vector<std::string> yes{"true", "TRUE", "True", "yes", "Yes", "是", "1"},
        no{"false", "FALSE", "False", "no", "No", "否", "0"};
    if (std::find(yes.begin(), yes.end(), t) != yes.end())
      json = "true";
    else if (std::find(no.begin(), no.end(), t) != no.end())
      json = "false";
    else
      return refuse("true or false (是/否, yes/no, 1/0)", "是或否（是/否、yes/no、1/0）");
  } else if (type == "date") {
    auto d = text_date(t);
    if (!d) return refuse("a date such as 2024-05-20", "日期（如 2024-05-20）");
    json = json_quote(d->to_string());
  } else {
    if (invalid_utf8(t)) return refuse("UTF-8 text", "UTF-8 编码的文本");
    json = json_quote(t);
  }
  return true;
}

CsvReader::CsvReader(std::istream& in, std::string file, std::size_t max_record_bytes)
    : in_(in), file_(std::move(file)), limit_(max_record_bytes) {}

std::string CsvReader::column_name(std::size_t index) const {
  if (index < header_.size() && !trim(header_[index]).empty()) return "column '" + excerpt(trim(header_[index])) + "'";
  return "column " + std::to_string(index + 1);
}

std::string CsvReader::column_name_zh(std::size_t index) const {
  if (index < header_.size() && !trim(header_[index]).empty()) return "「" + excerpt(trim(header_[index])) + "」列";
  return "第" + std::to_string(index + 1) + "列";
}

bool CsvReader::next(Row& row) {
  for (;;) {
    if (!record(row)) return false;
    bool blank = std::all_of(row.cells.begin(), row.cells.end(), [](const std::string& c) { return trim(c).empty(); });
    if (row.error || !blank) break;
  }
  if (first_ && !row.error) {
    header_ = row.cells;
    // Excel on Chinese Windows saves CSV as GBK: every column would be an unknown, garbled name.
    for (const auto& cell : row.cells)
      if (invalid_utf8(cell))
        row.error =
            Error{Error::Code::input,
                  "the header is not UTF-8 text: a CSV that Excel on Chinese Windows saves is GBK; save it as "
                  "\"CSV UTF-8 (comma delimited)\"",
                  {file_, int(row.line), 1},
                  {},
                  {},
                  {},
                  "表头不是 UTF-8 编码：中文 Windows 上 Excel 保存的 CSV 为 GBK 编码，请另存为“CSV UTF-8（逗号分隔）”"};
  }
  // A record wider or narrower than the header: an unquoted 3,000,000 in the last column is
  // three cells, of which only "3" is under its header; a short record has lost cells.
  if (!first_ && !row.error && row.cells.size() != header_.size()) {
    std::string n = std::to_string(header_.size()), got = std::to_string(row.cells.size());
    bool wide = row.cells.size() > header_.size();
    row.error = Error{Error::Code::input,
                      "expected " + n + " cells as in the header, got " + got +
                          (wide ? " (a cell holding a comma, as 3,000,000 does, must be quoted: \"3,000,000\")" : ""),
                      {file_, int(row.line), 1},
                      {},
                      {},
                      {},
                      "该行有 " + got + " 个单元格，应与标题行一样为 " + n + " 个" +
                          (wide ? "（含逗号的单元格须加引号，如 3,000,000 应写作 \"3,000,000\"）" : "")};
  }
  first_ = false;
  return true;
}

bool CsvReader::record(Row& row) {
  std::streambuf* buf = in_.rdbuf();
  row.cells.assign(1, {});
  row.error.reset();
  row.line = line_;
  if (buf->sgetc() == EOF) return false;
  enum class State { start, plain, quoted, closed } s = State::start;
  std::size_t kept = 0, cell_line = line_;
  bool too_long = false, line_end = false;  // the last byte read ended a line
  std::size_t past = 0;                     // cells begun after the limit, which are read past, not kept
  std::string problem, problem_zh, evidence;  // after a malformed cell: what is wrong, and the cell as written
  bool in_evidence = false;
  auto fail = [&](std::string what, const std::string& zh, std::string_view so_far) {
    problem = column_name(row.cells.size() - 1) + ": " + std::move(what);
    problem_zh = column_name_zh(row.cells.size() - 1) + "：" + zh;
    evidence.assign(so_far);
    in_evidence = true;
  };
  // One byte of a record read past its limit, its quotes still followed; false at its end.
  auto past_long = [&](char ch) {
    if (ch == '"') {
      if (s != State::quoted && s != State::closed) cell_line = line_;  // a cell's opening quote
      s = s == State::quoted ? State::closed : State::quoted;
    } else if (s != State::quoted && ch == ',') {
      ++past;
      s = State::start;
    }
    return s == State::quoted || ch != '\n';
  };
  for (int c = buf->sbumpc(); c != EOF; c = buf->sbumpc()) {
    ++read_;
    char ch = char(c);
    line_end = ch == '\n';
    if (line_end) ++line_;
    if (!problem.empty() || too_long) {
      // Read past: a malformed record to its line's end, a long one to its end (quotes still count).
      if (in_evidence && (ch == ',' || ch == '\n')) in_evidence = false;
      if (in_evidence && evidence.size() < 80) evidence += ch;
      if (problem.empty() && !past_long(ch)) break;
      if (!problem.empty() && ch == '\n') break;
      continue;
    }
    if (++kept > limit_) {
      too_long = true;
      for (auto& kept_cell : row.cells) std::string().swap(kept_cell);
      if (!past_long(ch)) break;
      continue;
    }
    std::string& cell = row.cells.back();
    switch (s) {
      case State::quoted:
        if (ch != '"')
          cell += ch;
        else if (buf->sgetc() == '"') {
          cell += '"';
          buf->sbumpc();
          ++read_;
        } else
          s = State::closed;
        continue;
      case State::closed:
        if (ch == ',' || ch == '\n' || (ch == '\r' && buf->sgetc() == '\n')) break;
        fail(
            "text after the closing quote (a quoted cell ends at its quote; a quote inside it is doubled: "
            "\"a\"\"b\")",
            "右引号之后还有文字（带引号的单元格在右引号处结束；单元格内的引号须写两次：\"a\"\"b\"）",
            "\"" + cell + "\"" + ch);
        continue;
      default:
        if (ch == '"') {
          if (s == State::start) {
            s = State::quoted;
            cell_line = line_;
          } else {
            fail(
                "a quote inside a cell that does not start with one (quote the whole cell and double the quote: "
                "\"a\"\"b\")",
                "单元格中间出现引号，但单元格不是以引号开头（请给整个单元格加引号，并把其中的引号写两次：\"a\"\"b\"）",
                cell + ch);
          }
          continue;
        }
        if (ch != ',' && ch != '\n' && ch != '\r') {
          cell += ch;
          s = State::plain;
          if (first_ && row.cells.size() == 1 && cell == "\xEF\xBB\xBF") {  // a spreadsheet's BOM
            cell.clear();
            s = State::start;
          }
          continue;
        }
    }
    if (ch == '\r') continue;  // before \n, or stray: dropped
    if (ch == '\n') break;
    row.cells.emplace_back();  // a comma
    s = State::start;
  }
  auto error = [&](std::size_t line, std::string message, std::string zh) {
    row.error = Error{Error::Code::input, std::move(message), {file_, int(line), 1}, {}, {}, {}, std::move(zh)};
  };
  if (!problem.empty()) {
    error(row.line, problem + ": '" + excerpt(evidence) + "'", problem_zh + "：“" + excerpt(evidence) + "”");
  } else if (s == State::quoted) {  // the input ended inside a quoted cell
    std::size_t last = line_end ? line_ - 1 : line_;
    std::string cell = excerpt(too_long ? std::string_view("…") : std::string_view(row.cells.back()));
    std::size_t column = row.cells.size() - 1 + past;
    error(cell_line,
          column_name(column) + ": the quote that opens this cell on line " + std::to_string(cell_line) +
              " is never closed: lines " + std::to_string(cell_line) + " to " + std::to_string(last) +
              " were read as this one cell: '" + cell + "'",
          column_name_zh(column) + "：第 " + std::to_string(cell_line) + " 行开始的引号没有闭合，第 " +
              std::to_string(cell_line) + " 至 " + std::to_string(last) + " 行都被读成了这一个单元格：“" + cell + "”");
  } else if (too_long) {
    error(row.line,
          "the record is longer than the limit of " + std::to_string(limit_) +
              " bytes for a document (read past, not kept)",
          "该行超过每份文档 " + std::to_string(limit_) + " 字节的上限（已跳过，未读入）");
  }
  return true;
}

}  // namespace rulebook::detail
