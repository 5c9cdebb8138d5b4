// Reading one worksheet of an xlsx workbook: a zip (minizip) of XML parts (pugixml). Only the
// parts a sheet of values needs are read: the workbook (sheet names, the 1904 date system), its
// relationships, shared strings, styles (which cells are dates) and the worksheet. Numbers keep
// the text Excel stored, so 3000000.05 stays exact; nothing goes through a double. Past Excel's 15
// significant digits they are rounded as Excel shows them: a formula's 59.999999999999993 is 60.

#include <unzip.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <set>

#include "sheet/cells.hpp"
#include "sheet/xlsx.hpp"
#include "value/os_reason.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

Error sheet_error(const std::string& file, std::string message, std::string zh) {
  return {Error::Code::input, std::move(message), {file, 0, 0}, {}, {}, {}, std::move(zh)};
}

// Element names without their namespace prefix: writers use "x:row" as well as "row".
std::string_view local(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}

pugi::xml_node child(pugi::xml_node n, std::string_view name) {
  for (auto c : n.children())
    if (local(c.name()) == name) return c;
  return {};
}

// An attribute by local name: r:id is "id" under whatever prefix the relationships namespace got.
pugi::xml_attribute attr(pugi::xml_node n, std::string_view name, bool prefixed = false) {
  for (auto a : n.attributes())
    if (local(a.name()) == name && (std::strchr(a.name(), ':') != nullptr) == prefixed) return a;
  return {};
}

// ST_Xstring's escapes (ECMA-376 §22.9.2.19) undone: _xHHHH_ is the UTF-16 code unit HHHH, so
// that a carriage return is stored A-1_x000D_ and an underscore before such text _x005F_. A high
// and a low surrogate escaped one after the other are one character; a lone one is U+FFFD.
std::string unescape(std::string_view s) {
  auto unit = [&](std::size_t i) -> long {  // the code unit escaped at i, or -1
    if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
    long v = 0;
    for (std::size_t k = i + 2; k < i + 6; ++k) {
      char c = s[k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  };
  if (s.find("_x") == s.npos) return std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    long u = unit(i);
    if (u < 0) {
      out += s[i++];
      continue;
    }
    i += 7;
    char32_t c = char32_t(u);
    if (u >= 0xD800 && u <= 0xDBFF) {
      long low = unit(i);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        c = char32_t(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 7;
      } else {
        c = 0xFFFD;
      }
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      c = 0xFFFD;
    }
    append_utf8(out, c);
  }
  return out;
}

// The text of <t> elements under a shared or inline string, rich-text runs joined; phonetic
// guides (<rPh>) are not part of the value.
void collect_text(pugi::xml_node n, std::string& out) {
  for (auto c : n.children()) {
    std::string_view name = local(c.name());
    if (name == "rPh" || name == "phoneticPr") continue;
    if (name == "t")
      out += unescape(c.text().get());
    else if (c.type() == pugi::node_element)
      collect_text(c, out);
  }
}

// Whether a custom number format's code has one of `chars` outside quoted text, brackets
// ([Red], [$-804]) and escapes (\%, _x, *x), where it is a placeholder and not a literal.
bool in_code(const std::string& code, std::string_view chars) {
  bool quoted = false;
  int bracket = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\\' || c == '_' || c == '*') {
      ++i;
      continue;
    }
    if (c == '[') ++bracket;
    if (c == ']') bracket = std::max(0, bracket - 1);
    if (bracket) continue;
    if (chars.find(c) != chars.npos) return true;
  }
  return false;
}

// Built-in number formats that show dates (ECMA-376 §18.8.30), and custom ones whose code
// has a day, month or year.
bool date_format(int id, const std::string& code) {
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return true;
  return in_code(code, "dDmMyY");
}

// How a number format shows a number other than as the cell holds it, so that the reviewer
// reads one amount and the rules would read another: 万 or 亿 written after it (Excel shows
// 123.45 as "123.45万元" without scaling it), or a percentage (0.615 shown as 61.50%: built-in
// 0% and 0.00%, or a custom format with a % outside quotes).
enum class Shown : char { as_held, unit, percent };
Shown shown(int id, const std::string& code) {
  if (code.find("万") != code.npos || code.find("亿") != code.npos) return Shown::unit;
  if (id == 9 || id == 10 || in_code(code, "%")) return Shown::percent;
  return Shown::as_held;
}

// 0.615 → "61.5": a plain decimal (plain_decimal's) times 100, by moving its point.
std::string hundredfold(std::string plain) {
  std::string sign = plain[0] == '-' ? "-" : "";
  plain.erase(0, sign.size());
  std::size_t dot = plain.find('.');
  std::string whole = plain.substr(0, dot), frac = dot == plain.npos ? "" : plain.substr(dot + 1);
  frac += "00";
  whole += frac.substr(0, 2);
  frac.erase(0, 2);
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  frac.erase(frac.find_last_not_of('0') + 1);
  return sign + whole + (frac.empty() ? "" : "." + frac);
}

class Workbook {
 public:
  Workbook(std::string file, const SheetLimits& limits, std::vector<Error>& errors)
      : file_(std::move(file)), limits_(limits), errors_(errors) {}
  ~Workbook() {
    if (zip_) unzClose(zip_);
  }

  std::optional<Sheet> read(const std::string& wanted) {
    zip_ = unzOpen64(file_.c_str());
    if (!zip_) {
      errno = 0;
      if (!std::ifstream(file_, std::ios::binary)) {  // missing or unreadable: no fault of a workbook
        auto [en, zh] = detail::cannot_read_file(errno ? errno : EIO);
        return fail(std::move(en), std::move(zh));
      }
      return fail("not an xlsx workbook (cannot open it as a zip archive)",
                  "不是 xlsx 工作簿（无法作为 zip 压缩包打开）");
    }
    std::string text;
    pugi::xml_document workbook, rels;
    if (!part("xl/workbook.xml", text, true) || !parse(workbook, text, "xl/workbook.xml")) return std::nullopt;
    if (!part("xl/_rels/workbook.xml.rels", text, true) || !parse(rels, text, "xl/_rels/workbook.xml.rels"))
      return std::nullopt;
    pugi::xml_node wb = workbook.first_child();
    if (auto pr = child(wb, "workbookPr")) {
      std::string v = attr(pr, "date1904").value();
      date1904_ = v == "1" || v == "true";
    }
    // The worksheet: by name, or the first listed.
    std::string name, rel;
    std::vector<std::string> names;
    for (auto s : child(wb, "sheets").children()) {
      if (local(s.name()) != "sheet") continue;
      names.push_back(s.attribute("name").value());
      if ((wanted.empty() && rel.empty()) || names.back() == wanted) {
        name = names.back();
        rel = attr(s, "id", true).value();
      }
    }
    if (rel.empty()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      std::string list_zh;
      for (const auto& n : names) list_zh += (list_zh.empty() ? "" : "、") + n;
      return names.empty() ? fail("the workbook lists no worksheet", "工作簿中没有工作表")
                           : fail("no worksheet named '" + wanted + "'; the workbook has: " + list,
                                  "没有名为「" + wanted + "」的工作表；工作簿中有：" + list_zh);
    }
    std::string target;
    for (auto r : rels.first_child().children())
      if (std::string_view(r.attribute("Id").value()) == rel) target = r.attribute("Target").value();
    if (target.empty())
      return fail("worksheet '" + name + "' has no part in xl/_rels/workbook.xml.rels",
                  "工作表「" + name + "」在 xl/_rels/workbook.xml.rels 中没有对应部分（文件已损坏）");
    target = target[0] == '/' ? target.substr(1) : "xl/" + target;

    if (part("xl/sharedStrings.xml", text, false)) {
      pugi::xml_document doc;
      if (!parse(doc, text, "xl/sharedStrings.xml")) return std::nullopt;
      for (auto si : doc.first_child().children()) {
        if (local(si.name()) != "si") continue;
        collect_text(si, strings_.emplace_back());
      }
    }
    if (!errors_.empty()) return std::nullopt;
    if (part("xl/styles.xml", text, false)) {
      pugi::xml_document doc;
      if (!parse(doc, text, "xl/styles.xml")) return std::nullopt;
      std::map<int, std::string> codes;
      for (auto f : child(doc.first_child(), "numFmts").children())
        codes[f.attribute("numFmtId").as_int(-1)] = f.attribute("formatCode").value();
      for (auto xf : child(doc.first_child(), "cellXfs").children()) {
        int id = xf.attribute("numFmtId").as_int(0);
        auto it = codes.find(id);
        const std::string& code = it == codes.end() ? "" : it->second;
        date_styles_.push_back(date_format(id, code));
        shown_styles_.push_back(shown(id, code));
      }
    }
    if (!errors_.empty()) return std::nullopt;
    if (!part(target, text, true)) return std::nullopt;
    pugi::xml_document doc;
    if (!parse(doc, text, target)) return std::nullopt;
    text.clear();
    text.shrink_to_fit();
    Sheet sheet{file_, name, {}};
    if (!rows(child(doc.first_child(), "sheetData"), sheet)) return std::nullopt;
    if (!merged(child(doc.first_child(), "mergeCells"), sheet)) return std::nullopt;
    return sheet;
  }

 private:
  std::nullopt_t fail(std::string message, std::string zh) {
    errors_.push_back(sheet_error(file_, std::move(message), std::move(zh)));
    return std::nullopt;
  }

  // A part's bytes, refused past the limit whatever the zip's header claims (a zip bomb lies).
  bool part(const std::string& name, std::string& out, bool required) {
    out.clear();
    if (unzLocateFile(zip_, name.c_str(), 1) != UNZ_OK) {
      if (required) fail("not an xlsx workbook: it has no " + name, "不是 xlsx 工作簿：缺少 " + name);
      return false;
    }
    if (unzOpenCurrentFile(zip_) != UNZ_OK) {
      fail("cannot read " + name + " (damaged or encrypted)", "无法读取 " + name + "（文件已损坏或已加密）");
      return false;
    }
    char buf[1 << 16];
    int n;
    while ((n = unzReadCurrentFile(zip_, buf, sizeof buf)) > 0) {
      read_ += std::uint64_t(n);
      if (read_ > limits_.max_uncompressed) {
        unzCloseCurrentFile(zip_);
        fail("the workbook unpacks to more than " + std::to_string(limits_.max_uncompressed >> 20) +
                 " MiB; split it, or save it without unused parts",
             "工作簿解压后超过 " + std::to_string(limits_.max_uncompressed >> 20) +
                 " MiB；请拆分，或删去无用部分后另存");
        return false;
      }
      out.append(buf, std::size_t(n));
    }
    if (unzCloseCurrentFile(zip_) != UNZ_OK || n < 0) {
      fail("cannot read " + name + " (damaged: its data or checksum is wrong)",
           "无法读取 " + name + "（文件已损坏：数据或校验和有误）");
      return false;
    }
    return true;
  }

  bool parse(pugi::xml_document& doc, const std::string& text, const std::string& name) {
    pugi::xml_parse_result r = doc.load_buffer(text.data(), text.size());  // a copy: `text` is reused for the next part
    if (!r) {
      fail(name + ": malformed XML at byte " + std::to_string(r.offset) + ": " + r.description(),
           name + "：第 " + std::to_string(r.offset) + " 字节处 XML 格式有误（文件已损坏）");
      return false;
    }
    if (!doc.first_child()) {
      fail(name + ": empty XML", name + "：XML 为空（文件已损坏）");
      return false;
    }
    // pugixml converts a part in UTF-16 or Latin-1 (as its declaration says) to UTF-8, and takes
    // one it reads as UTF-8 byte for byte: a name or text that is not UTF-8 must stop here, or it
    // would reach documents, decisions and the ledger.
    struct Check : pugi::xml_tree_walker {
      std::ptrdiff_t bad = -1;
      bool for_each(pugi::xml_node& n) override {
        bool ok = valid_utf8(n.name()) && valid_utf8(n.value());
        for (auto a : n.attributes()) ok = ok && valid_utf8(a.name()) && valid_utf8(a.value());
        if (!ok) bad = std::max<std::ptrdiff_t>(n.offset_debug(), 0);
        return ok;
      }
    } check;
    doc.traverse(check);
    if (check.bad >= 0) {
      const std::string at = std::to_string(check.bad);
      fail(name + ": text that is not UTF-8 near byte " + at + " (a workbook's text is UTF-8 or UTF-16)",
           name + "：第 " + at + " 字节附近的文本不是 UTF-8 编码（工作簿的文本应为 UTF-8 或 UTF-16 编码）");
      return false;
    }
    return true;
  }

  // A merged cell shows its value in every cell it covers, and Excel stores it in the first alone:
  // 三方合同 merged over two transactions' rows is each one's, as the reviewer reads it. Each
  // covered cell of a row that holds anything gets the value (rows wholly empty add nothing), but
  // the header's: a header merged over two columns names one column. Every cell a merge covers in
  // rows in use counts against the limit, filled or not, so that merges repeated over one area
  // cannot make the reading take hours; a row's new cells are merged into it once, not one by one.
  bool merged(pugi::xml_node merges, Sheet& sheet) {
    constexpr std::uint64_t max_covered = 1u << 20;  // a merge over the whole grid is no table
    std::uint64_t covered = 0;
    auto by_number = [](const SheetRow& r, std::uint32_t n) { return r.number < n; };
    std::vector<std::pair<std::uint32_t, SheetCell>> added;
    for (auto m : merges.children()) {
      if (local(m.name()) != "mergeCell") continue;
      std::string_view ref = m.attribute("ref").value();
      std::size_t colon = ref.find(':');
      std::uint32_t c1, r1, c2, r2;
      if (colon == ref.npos || !parse_ref(ref.substr(0, colon), c1, r1) || !parse_ref(ref.substr(colon + 1), c2, r2) ||
          c2 < c1 || r2 < r1)
        return fail(sheet.name + ": merged cells '" + std::string(ref) + "' are not a range of cells",
                    sheet.name + "：合并单元格「" + std::string(ref) + "」不是单元格区域（文件已损坏）"),
               false;
      auto first = std::lower_bound(sheet.rows.begin(), sheet.rows.end(), r1, by_number);
      const SheetCell* value = first != sheet.rows.end() && first->number == r1 ? first->at(c1) : nullptr;
      if (!value) continue;
      const SheetCell shown = *value;
      for (auto row = first; row != sheet.rows.end() && row->number <= r2; ++row) {
        covered += std::uint64_t(c2 - c1) + 1;
        if (covered > max_covered)
          return fail(sheet.name + ": merged cells cover more than " + std::to_string(max_covered) +
                          " cells of rows in use; unmerge them",
                      sheet.name + "：合并单元格覆盖了超过 " + std::to_string(max_covered) +
                          " 个有内容的行中的单元格；请取消合并"),
                 false;
        if (row == sheet.rows.begin()) continue;  // the header
        added.clear();
        auto cell = std::lower_bound(row->cells.begin(), row->cells.end(), c1,
                                     [](const auto& x, std::uint32_t k) { return x.first < k; });
        for (std::uint32_t c = c1; c <= c2; ++c) {
          while (cell != row->cells.end() && cell->first < c) ++cell;
          if (cell == row->cells.end() || cell->first != c) added.push_back({c, shown});  // else the first, or kept
        }
        auto middle = row->cells.insert(row->cells.end(), added.begin(), added.end());
        std::inplace_merge(row->cells.begin(), middle, row->cells.end(),
                           [](const auto& x, const auto& y) { return x.first < y.first; });
      }
    }
    return true;
  }

  // "C7" → column 2, row 7; false when malformed or past Excel's grid.
  bool parse_ref(std::string_view ref, std::uint32_t& column, std::uint32_t& row) const {
    std::size_t i = 0;
    std::uint64_t c = 0, r = 0;
    for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
      c = c * 26 + std::uint64_t(ref[i] - 'A' + 1);
      if (c > limits_.max_columns) return false;
    }
    if (i == 0 || i == ref.size()) return false;
    for (; i < ref.size(); ++i) {
      if (ref[i] < '0' || ref[i] > '9') return false;
      r = r * 10 + std::uint64_t(ref[i] - '0');
      if (r > limits_.max_rows) return false;
    }
    if (r == 0) return false;
    column = std::uint32_t(c - 1);
    row = std::uint32_t(r);
    return true;
  }

  bool rows(pugi::xml_node data, Sheet& sheet) {
    std::uint32_t row_number = 0;
    for (auto row : data.children()) {
      if (local(row.name()) != "row") continue;
      std::uint32_t previous = row_number;
      if (auto r = row.attribute("r")) {
        std::string_view v = r.value();
        std::uint64_t n = 0;
        for (char ch : v)
          n = ch >= '0' && ch <= '9' && n <= limits_.max_rows ? n * 10 + std::uint64_t(ch - '0') : ~0ull;
        if (v.empty() || n == 0 || n > limits_.max_rows)
          return fail(sheet.name + ": row number '" + std::string(v) + "' is not a row of a worksheet (1 to " +
                          std::to_string(limits_.max_rows) + ")",
                      sheet.name + "：行号「" + std::string(v) + "」不是工作表中的行（1 至 " +
                          std::to_string(limits_.max_rows) + "）"),
                 false;
        row_number = std::uint32_t(n);
      } else {
        ++row_number;
      }
      if (row_number <= previous)
        return fail(sheet.name + ": row " + std::to_string(row_number) + " comes after row " + std::to_string(previous),
                    sheet.name + "：第 " + std::to_string(row_number) + " 行出现在第 " + std::to_string(previous) +
                        " 行之后（行序错乱）"),
               false;
      SheetRow out{row_number, {}, {}};
      std::int64_t column = -1;
      for (auto c : row.children()) {
        if (local(c.name()) != "c") continue;
        std::uint32_t col = std::uint32_t(column + 1), at_row = row_number;
        if (auto r = c.attribute("r")) {
          if (!parse_ref(r.value(), col, at_row) || at_row != row_number)
            return fail(sheet.name + "!" + r.value() + ": not a cell of row " + std::to_string(row_number),
                        sheet.name + "!" + r.value() + "：不是第 " + std::to_string(row_number) + " 行的单元格"),
                   false;
        } else if (col >= limits_.max_columns) {
          return fail(sheet.name + ": row " + std::to_string(row_number) + " has more than " +
                          std::to_string(limits_.max_columns) + " cells",
                      sheet.name + "：第 " + std::to_string(row_number) + " 行的单元格超过 " +
                          std::to_string(limits_.max_columns) + " 个"),
                 false;
        }
        if (std::int64_t(col) <= column)
          return fail(sheet.name + "!" + cell_ref(col, row_number) + ": cells out of order",
                      sheet.name + "!" + cell_ref(col, row_number) + "：单元格顺序错乱"),
                 false;
        column = col;
        SheetCell cell;
        std::optional<Error> refused;
        if (!value(c, cell, sheet.name + "!" + cell_ref(col, row_number), refused)) return false;
        if (refused)
          out.refused.emplace_back(col, std::move(*refused));
        else if (cell.kind != SheetCell::Kind::empty)
          out.cells.emplace_back(col, std::move(cell));
      }
      if (!out.cells.empty() || !out.refused.empty()) sheet.rows.push_back(std::move(out));
    }
    return true;
  }

  // A cell's value; false when the workbook is damaged. A cell whose value the reader will not
  // take is `refused` (its application is then invalid, if a mapped column holds it), not the workbook.
  bool value(pugi::xml_node c, SheetCell& cell, const std::string& where, std::optional<Error>& refused) {
    auto refuse = [&](std::string message, std::string zh) {
      refused = sheet_error(file_, std::move(message), std::move(zh));
      return true;
    };
    std::string_view t = c.attribute("t").value();
    pugi::xml_node v = child(c, "v");
    std::string text = v.text().get();
    using K = SheetCell::Kind;
    if (t == "inlineStr") {
      cell.kind = K::text;
      if (auto is = child(c, "is")) collect_text(is, cell.text);
    } else if (!v && child(c, "f")) {  // written by a program that computes no formula
      return refuse(where + ": a formula with no computed value (open and save the file in Excel or WPS)",
                    where + "：公式没有计算结果（请用 Excel 或 WPS 打开并保存该文件）");
    } else if (!v) {
      cell.kind = K::empty;  // a styled cell with no value
    } else if (t == "s") {
      char* end = nullptr;
      unsigned long i = std::strtoul(text.c_str(), &end, 10);
      if (text.empty() || *end || i >= strings_.size())
        return fail(where + ": shared string " + text + " is not in xl/sharedStrings.xml",
                    where + "：共享字符串 " + text + " 不在 xl/sharedStrings.xml 中（文件已损坏）"),
               false;
      cell.kind = K::text;
      cell.text = strings_[i];
    } else if (t == "str") {  // a formula's text result
      cell.kind = K::text;
      cell.text = unescape(text);
    } else if (t == "b") {  // 1 or 0 (ECMA-376); anything else is not taken for false
      cell.kind = text.empty() ? K::empty : K::boolean;
      if (text == "1" || text == "true" || text == "TRUE")
        cell.text = "true";
      else if (text == "0" || text == "false" || text == "FALSE")
        cell.text = "false";
      else if (!text.empty())
        return refuse(where + ": '" + text + "' is not a true/false value (1 or 0)",
                      where + "：“" + text + "”不是布尔值（应为 1 或 0）");
    } else if (t == "e") {
      cell.kind = K::error;
      cell.text = std::move(text);
    } else if (t == "d") {  // ISO 8601 date-time, rare but valid
      cell.kind = K::date;
      cell.text = text.substr(0, 10);
    } else {
      if (text.empty()) return true;  // <v></v>: no value
      if (!plain_decimal(text))
        return refuse(where + ": '" + text + "' is not a number", where + "：“" + text + "”不是数字");
      text = excel_digits(text);
      std::size_t style = c.attribute("s").as_uint(0);
      Shown as = style < shown_styles_.size() ? shown_styles_[style] : Shown::as_held;
      if (as == Shown::unit)
        return refuse(where + ": the cell's number format shows " + text +
                          " followed by 万 or 亿, but the number it holds is " + text +
                          ": write the amount in full (1230000 for 123万)",
                      where + "：单元格的数字格式在 " + text + " 后显示「万」或「亿」，但单元格存储的数值只是 " + text +
                          "：请填写完整金额（如 123万 应填 1230000）");
      if (as == Shown::percent) {
        std::string pct = hundredfold(*plain_decimal(text));
        return refuse(where + ": the cell's percent format shows " + pct + "% but the number it holds is " + text +
                          ": format the cell as a number and write the value as the column asks for it (" + pct +
                          " for a percentage)",
                      where + "：单元格的百分比格式显示为 " + pct + "%，但存储的数值为 " + text +
                          "：请将单元格设为数字格式，按该列的要求填写（百分比填 " + pct + "）");
      }
      cell.kind = K::number;
      cell.text = std::move(text);
      if (style < date_styles_.size() && date_styles_[style])
        if (auto d = serial_date(cell.text, date1904_)) {
          cell.kind = K::date;
          cell.text = d->to_string();
        }
    }
    if (!cell.text.empty() && cell.kind == K::empty) cell.kind = K::text;
    if (cell.kind == K::text && cell.text.empty()) cell.kind = K::empty;
    return true;
  }

  std::string file_;
  SheetLimits limits_;
  std::vector<Error>& errors_;
  unzFile zip_ = nullptr;
  std::uint64_t read_ = 0;
  bool date1904_ = false;
  std::vector<std::string> strings_;
  std::vector<bool> date_styles_;
  std::vector<Shown> shown_styles_;  // by style: whether its number format shows the number as held
};

}  // namespace

namespace detail {

std::optional<Sheet> read_workbook(const std::string& file, const std::string& name, std::vector<Error>& errors,
                                   const SheetLimits& limits) {
  std::size_t before = errors.size();
  std::vector<Error> mine;
  std::optional<Sheet> sheet;
  try {
    sheet = Workbook(file, limits, mine).read(name);
  } catch (const std::bad_alloc&) {  // pugixml on a huge part within the limit on a small machine
    mine.push_back(sheet_error(file, "not enough memory to read the workbook", "内存不足，无法读取该工作簿"));
  }
  errors.insert(errors.end(), mine.begin(), mine.end());
  if (errors.size() != before) return std::nullopt;
  return sheet;
}

}  // namespace detail
}  // namespace rulebook
