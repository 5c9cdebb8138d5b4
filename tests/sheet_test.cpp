// Sheets: every kind of xlsx cell read exactly, damaged workbooks refused with a message, and
// results written as xlsx then reopened with the same reader and checked cell by cell.

#include "sheet/sheet.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "batch/csv.hpp"
#include "rulebook/engine.hpp"
#include "sheet/cells.hpp"
#include "support.hpp"

namespace rulebook {
namespace {

const std::string data = std::string(RULEBOOK_SOURCE_DIR) + "/tests/data/sheets/";

std::string all(const std::vector<Error>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string();
  return out;
}

// Column A of row `row` of a sheet, or a marker when the row or cell is absent.
const SheetCell* cell(const Sheet& s, std::uint32_t row, std::uint32_t column) {
  for (const auto& r : s.rows)
    if (r.number == row) return r.at(column);
  return nullptr;
}

// Every input of a sheet, the errors of each in order ("" for a document).
std::vector<std::string> inputs(OpenedInput& in) {
  std::vector<std::string> out;
  REQUIRE_MESSAGE(in.source, all(in.errors));
  for (BatchInput input; in.source->next(input);) out.push_back(all(input.errors));
  return out;
}

// CSV as RFC 4180 writes it, strictly: records in order, each malformed one an error at its
// line naming its column and cell; reading goes on after it (#14).
TEST_CASE("the CSV reader is strict RFC 4180") {
  std::istringstream in(
      "\xEF\xBB\xBFid,\"name\",amount\r\n"
      "1,\"a, \"\"b\"\"\nc\",3\n"  // a comma, doubled quotes and a line break in one cell
      ",,\n"                       // a row of blank cells is skipped
      "2,ab\"c,4\n"
      "3,\"ab\"c,5\n"
      "4,\"ok\",6\n"
      "5,\"never closed,7\n8,9\n");
  detail::CsvReader csv(in, "in.csv", 1000);
  detail::CsvReader::Row row;
  REQUIRE(csv.next(row));
  CHECK(row.cells == std::vector<std::string>{"id", "name", "amount"});  // BOM and \r dropped
  REQUIRE(csv.next(row));
  CHECK(row.line == 2);
  CHECK(row.cells == std::vector<std::string>{"1", "a, \"b\"\nc", "3"});
  REQUIRE(csv.next(row));
  CHECK(row.line == 5);
  REQUIRE(row.error);
  CHECK(row.error->to_string() ==
        "in.csv:5:1: error: column 'name': a quote inside a cell that does not start with one (quote the whole cell "
        "and double the quote: \"a\"\"b\"): 'ab\"c'\n");
  REQUIRE(csv.next(row));
  REQUIRE(row.error);
  CHECK(row.error->loc.line == 6);
  CHECK(row.error->message.find("column 'name': text after the closing quote") == 0);
  CHECK(row.error->message.ends_with("'\"ab\"c'"));
  REQUIRE(csv.next(row));
  CHECK_FALSE(row.error);
  CHECK(row.cells == std::vector<std::string>{"4", "ok", "6"});
  REQUIRE(csv.next(row));
  REQUIRE(row.error);
  CHECK(row.error->loc.line == 8);
  CHECK(row.error->message.find("the quote that opens this cell on line 8 is never closed: lines 8 to 9") !=
        std::string::npos);
  CHECK_FALSE(csv.next(row));
}

TEST_CASE("a record longer than the limit is read past, not kept") {
  std::istringstream in("a,b\n" + std::string(5000, 'x') + ",\"y\n\"\n1,2\n");
  detail::CsvReader csv(in, "in.csv", 100);
  detail::CsvReader::Row row;
  REQUIRE(csv.next(row));
  REQUIRE(csv.next(row));
  REQUIRE(row.error);
  CHECK(row.error->message.find("longer than the limit of 100 bytes") != std::string::npos);
  REQUIRE(csv.next(row));  // the quoted line break kept the long record whole
  CHECK(row.line == 4);
  CHECK(row.cells == std::vector<std::string>{"1", "2"});
  // A quote opened past the limit and never closed names its own column and line.
  std::istringstream open("a,b,c\n1,\"" + std::string(200, 'x') + "\n\",\"y\n2\n");
  detail::CsvReader past(open, "in.csv", 100);
  REQUIRE(past.next(row));
  REQUIRE(past.next(row));
  REQUIRE(row.error);
  CHECK(row.error->message.starts_with(
      "column 'c': the quote that opens this cell on line 3 is never closed: lines 3 to 4 were read"));
}

TEST_CASE("numbers in text cells group thousands with commas, and only so") {
  std::string json, why;
  for (auto [in, want] : std::vector<std::pair<std::string, std::string>>{
           {"3,000,000.00", "3000000.00"}, {"-1,500", "-1500"}, {" 100 ", "100"}, {"007", "7"}, {"+2.50", "2.50"}}) {
    CHECK(detail::text_cell_json("number", in, json, why));
    CHECK(json == want);
  }
  for (std::string bad : {"1,5", "1,50,000", ",500", "1,500.0,0", "1500,", "12,3456", "1.5,000", "abc", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(detail::text_cell_json("number", bad, json, why));
  }
  CHECK_FALSE(detail::text_cell_json("number", "1,5", json, why));
  CHECK(why.starts_with("a number (a comma only between groups of three digits"));
}

// A space the reviewer cannot see around a cell's text is no part of it: "G1" followed by a
// no-break space was a second application of the unit, paid the cap again.
TEST_CASE("a cell's text is read without the spaces around it, no-break and ideographic ones too") {
  std::string json, why;
  for (auto [in, want] : std::vector<std::pair<std::string, std::string>>{{"G1\u00A0", "\"G1\""},
                                                                          {"\u3000是 ", "\"是\""},
                                                                          {"\u00A0 A\u00A0B \u3000", "\"A\u00A0B\""},
                                                                          {"\u00A0", "\"\""}}) {
    CAPTURE(in);
    CHECK(detail::text_cell_json("text", in, json, why));
    CHECK(json == want);
  }
  CHECK(detail::text_cell_json("number", "\u00A0100\u3000", json, why));
  CHECK(json == "100");
}

TEST_CASE("plain_decimal keeps every digit and drops the exponent") {
  struct Case {
    std::string_view in, want;
  };
  constexpr Case cases[] = {{"3000000", "3000000"},   {"3000000.05", "3000000.05"},
                            {"1.5E-7", "0.00000015"}, {"5E+6", "5000000"},
                            {"-0.50", "-0.50"},       {"+7", "7"},
                            {"007.10", "7.10"},       {"-0.00", "0.00"},
                            {"1.2345E2", "123.45"},   {"12345678901234567890", "12345678901234567890"}};
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(plain_decimal(c.in).value_or("none") == c.want);
  }
  for (std::string_view bad : {"", "-", "1.2.3", "1e", "abc", "1,000", "E5", "1e99999"}) {
    CAPTURE(bad);
    CHECK_FALSE(plain_decimal(bad));
  }
}

// A double's binary noise past 15 significant digits is not what the reviewer sees, nor what a
// target or a multipleOf 0.01 should judge; 15 digits or fewer are kept as written.
TEST_CASE("xlsx numbers are read to the 15 significant digits Excel shows") {
  for (auto [in, want] : std::vector<std::pair<std::string, std::string>>{
           {"59.999999999999993", "60"},
           {"3000000.3000000003", "3000000.3"},
           {"0.30000000000000004", "0.3"},
           {"1.2345678901234567E-5", "0.0000123456789012346"},
           {"99999999999999999", "100000000000000000"},
           {"-9.9999999999999995", "-10"},
           {"123456789012345678", "123456789012346000"},
           {"1.5E-7", "1.5E-7"},                                // as written
           {"3000000.05", "3000000.05"},                        // as written
           {"123456789012345", "123456789012345"},              // 15 digits
           {"100000000000000000000", "100000000000000000000"},  // zeros past the 15th
           {"0.100000000000000000001", "0.1"}}) {
    CAPTURE(in);
    CHECK(excel_digits(in) == want);
  }
}

TEST_CASE("Excel day numbers and text dates") {
  struct Case {
    std::string_view serial;
    bool date1904;
    std::string_view want;
  };
  constexpr Case cases[] = {{"1", false, "1900-01-01"},        {"59", false, "1900-02-28"},
                            {"61", false, "1900-03-01"},       {"45432", false, "2024-05-20"},
                            {"45432.75", false, "2024-05-20"}, {"0", true, "1904-01-01"},
                            {"43970", true, "2024-05-20"}};
  for (const auto& c : cases) {
    CAPTURE(c.serial);
    auto d = serial_date(c.serial, c.date1904);
    REQUIRE(d);
    CHECK(d->to_string() == c.want);
  }
  CHECK_FALSE(serial_date("60", false));  // 1900-02-29, which Excel counts and the calendar lacks
  CHECK_FALSE(serial_date("-1", false));
  CHECK_FALSE(serial_date("99999999", false));
  for (std::string_view t : {"2024-05-20", "2024/5/20", "2024.05.20", "2024年5月20日"}) {
    CAPTURE(t);
    CHECK(detail::text_date(t).value_or(Date::from_days(0)).to_string() == "2024-05-20");
  }
  // A two-digit year was read as 0024, and the application fell outside the plan's period.
  for (std::string_view t : {"2024-02-30", "2024年5月", "20/5/2024x", "五月", "24/5/20", "24-05-20", "2024-5-20-",
                             "2024/123/1", "02024-5-20"}) {
    CAPTURE(t);
    CHECK_FALSE(detail::text_date(t));
  }
}

TEST_CASE("every kind of cell, from the worksheet asked for by name") {
  std::vector<Error> errors;
  auto sheet = read_xlsx(data + "types.xlsx", "Cells", errors);
  REQUIRE_MESSAGE(sheet, all(errors));
  CHECK(sheet->name == "Cells");
  using K = SheetCell::Kind;
  struct Case {
    std::uint32_t row;
    K kind;
    std::string_view text;
  };
  const Case cases[] = {
      {2, K::text, "共享字符串"},
      {3, K::text, "内联"},
      {4, K::text, "富文本"},
      {5, K::number, "3000000.05"},
      {6, K::number, "1.5E-7"},
      {7, K::number, "12345678901234600000"},
      {8, K::boolean, "true"},
      {9, K::date, "2024-05-20"},
      {10, K::date, "2024-02-29"},
      {11, K::number, "45432"},
      {12, K::number, "7.5"},
      {13, K::error, "#DIV/0!"},
      {14, K::text, "valuex"},
      {16, K::text, "=1+2"},
      {17, K::boolean, "false"},
      // Rounded to the 15 significant digits Excel shows (helper-63: 59.999999999999993 failed ≥ 60).
      {19, K::number, "60"},
      {20, K::number, "3000000.3"},
      {21, K::number, "-1"},
      // ST_Xstring's _xHHHH_ escapes undone, in inline and shared strings (helper-63: A-1_x000D_ was text).
      {22, K::text, "A-1\r"},
      {23, K::text, "T_x0031_é"},
      {24, K::text, "😀\uFFFDx"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.row);
    const SheetCell* got = cell(*sheet, c.row, 0);
    REQUIRE(got);
    CHECK(int(got->kind) == int(c.kind));
    CHECK(got->text == c.text);
  }
  CHECK(cell(*sheet, 15, 0) == nullptr);  // a styled cell without a value is empty, not 0
  CHECK(cell(*sheet, 18, 0) == nullptr);  // a boolean cell without a value is empty, not false

  auto mac = read_xlsx(data + "date1904.xlsx", "", errors);  // day numbers from 1904-01-01
  REQUIRE(mac);
  REQUIRE(cell(*mac, 2, 0));
  CHECK(cell(*mac, 2, 0)->text == "2024-05-20");

  auto first = read_xlsx(data + "types.xlsx", "", errors);
  REQUIRE(first);
  CHECK(first->name == "Cover");
  CHECK_FALSE(read_xlsx(data + "types.xlsx", "Nope", errors));
  CHECK(all(errors).find("no worksheet named 'Nope'; the workbook has: Cover, Cells") != std::string::npos);
}

TEST_CASE("a part in Latin-1, as its XML declaration says, is read as such") {
  std::vector<Error> errors;
  auto sheet = read_xlsx(data + "latin1.xlsx", "", errors);
  REQUIRE(sheet);
  REQUIRE(sheet->rows.size() == 1);
  CHECK(sheet->rows[0].at(0)->text == "caf\xC3\xA9");
}

TEST_CASE("damaged workbooks end in a message, never a crash or a hang") {
  struct Case {
    std::string_view file, message;
  };
  constexpr Case cases[] = {
      {"not_a_zip.xlsx", "not an xlsx workbook (cannot open it as a zip archive)"},
      {"no_workbook.xlsx", "not an xlsx workbook: it has no xl/workbook.xml"},
      {"bad_xml.xlsx", "xl/worksheets/sheet1.xml: malformed XML"},
      {"huge_row.xlsx", "row number '99999999999' is not a row of a worksheet"},
      {"far_cell.xlsx", "Sheet1!ZZZZZ1: not a cell of row 1"},
      {"bad_string.xlsx", "Sheet1!A1: shared string 4000000000 is not in xl/sharedStrings.xml"},
      {"not_utf8.xlsx", "xl/worksheets/sheet1.xml: text that is not UTF-8 near byte"},
      {"bomb.xlsx", "the workbook unpacks to more than 64 MiB"},
      {"missing.xlsx", "cannot read the file: No such file or directory"},  // not "not an xlsx workbook"
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    std::vector<Error> errors;
    CHECK_FALSE(read_xlsx(data + std::string(c.file), "", errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].loc.file == data + std::string(c.file));
    CHECK(errors[0].message.find(c.message) != std::string::npos);
    CAPTURE(errors[0].message);
  }
}

// Cells the reader will not take as values are refused, each naming its cell: the workbook is read,
// and the cell's application alone is invalid (below), if a column read holds it.
TEST_CASE("cells shown other than as held, or without their value, are refused at their cell") {
  struct Case {
    std::string_view file, message;
  };
  constexpr Case cases[] = {
      // Not damaged, but read as shown it would be 10,000 times too little: "123.45万元" holds 123.45.
      {"wan.xlsx", "Sheet1!A2: the cell's number format shows 123.45 followed by 万 or 亿"},
      // Nor as a percentage: 61.50% holds 0.615, which a ≥ 60 target would fail (helper-63).
      {"percent.xlsx",
       "Sheet1!A2: the cell's percent format shows 61.5% but the number it holds is 0.615: format "
       "the cell as a number and write the value as the column asks for it (61.5 for a percentage)"},
      {"percent_custom.xlsx", "Sheet1!A2: the cell's percent format shows 61.5%"},
      // A boolean cell holds 1 or 0: a 2 is no answer, and is not taken for false.
      {"bad_bool.xlsx", "Sheet1!A2: '2' is not a true/false value (1 or 0)"},
      // A formula without its computed value was read as an empty cell, then "missing" (helper-63).
      {"formula.xlsx", "Sheet1!A2: a formula with no computed value (open and save the file in Excel or WPS)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    std::vector<Error> errors;
    auto sheet = read_xlsx(data + std::string(c.file), "", errors);
    REQUIRE_MESSAGE(sheet, all(errors));
    REQUIRE(sheet->rows.size() == 2);
    const SheetRow& row = sheet->rows[1];
    CHECK(row.cells.empty());
    REQUIRE(row.refused.size() == 1);
    CHECK(row.refused[0].first == 0);
    CHECK(row.refused[0].second.loc.file == data + std::string(c.file));
    CHECK(row.refused[0].second.message.find(c.message) == 0);
  }
}

// One bad cell lost every application's decision (helper-63): a 万-formatted total to the right of
// the table, or an empty <v></v>, refused the workbook. Now a refused cell in a column read makes
// its application invalid; one in an ignored column or past the header is not read.
TEST_CASE("a refused cell makes its application invalid, and only when a column read holds it") {
  OpenedInput in = open_sheet(data + "refused_cells.xlsx", {.mapping = data + "grouped.mapping.yaml"});
  auto got = inputs(in);
  REQUIRE(got.size() == 4);
  CHECK(got[0] == "");  // a 万 total in column L, past the header
  CHECK(got[1] == data +
                      "refused_cells.xlsx: error: 申请!G3: the cell's number format shows 300 followed by 万 or "
                      "亿, but the number it holds is 300: write the amount in full (1230000 for 123万)\n");
  CHECK(got[2] == data +
                      "refused_cells.xlsx: error: 申请!G4: a formula with no computed value (open and save the "
                      "file in Excel or WPS)\n");
  CHECK(got[3] == "");  // <v></v> in 已获资助: an empty cell
}

TEST_CASE("sheet errors are worded in Chinese too, for the review desk") {
  std::vector<Error> errors;
  CHECK_FALSE(read_xlsx(data + "not_a_zip.xlsx", "", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message_zh == "不是 xlsx 工作簿（无法作为 zip 压缩包打开）");
  errors.clear();
  CHECK_FALSE(read_xlsx(data + "types.xlsx", "Nope", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message_zh == "没有名为「Nope」的工作表；工作簿中有：Cover、Cells");
  // Rows of one application that others separate, a transaction listed twice: each record's errors.
  OpenedInput in = open_sheet(data + "malformed_groups.xlsx", {.mapping = data + "grouped.mapping.yaml"});
  REQUIRE_MESSAGE(in.source, all(in.errors));
  std::vector<std::string> zh;
  for (BatchInput input; in.source->next(input);)
    for (const auto& e : input.errors) {
      CAPTURE(e.message);
      CHECK_FALSE(e.message_zh.empty());
      zh.push_back(e.message_zh);
    }
  REQUIRE_FALSE(zh.empty());
  CHECK(std::any_of(zh.begin(), zh.end(),
                    [](const std::string& m) { return m.find("中间隔有其他申请的行") != std::string::npos; }));
}

TEST_CASE("a sheet laid out as the pack's template is read without a mapping, headed in either language") {
  auto dongsheng = load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024");
  auto xinjiang = load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/xinjiang-13fyp");
  REQUIRE(dongsheng.pack);
  REQUIRE(xinjiang.pack);
  auto t = sheet_template(*dongsheng.pack);
  REQUIRE(t);
  CHECK(t->group_by == "id");
  CHECK(template_csv(*t, "zh").rfind("\xEF\xBB\xBF申请编号,单位名称,统一社会信用代码,申请人类型,", 0) == 0);
  test::TempDir dir;
  // Choices as labels: Chinese, and English in any case; an amount with separators.
  struct Case {
    const char *lang, *type_cell;
  };
  for (auto c : {Case{"zh", "专利服务机构"}, Case{"en", "PATENT SERVICE AGENCY"}, Case{"en", "patent_service_agency"}}) {
    CAPTURE(std::string(c.type_cell));
    std::string file = (dir.path / (std::string(c.lang) + ".csv")).string();
    std::ofstream(file) << template_csv(*t, c.lang) << "B-1,某机构,," << c.type_cell
                        << ",0,T-1,是,HT-1,\"3,000,000.00\",2024-05-20,是,是\r\n";
    OpenedInput in = open_template_sheet(file, *dongsheng.pack, {});
    REQUIRE_MESSAGE(in.source, all(in.errors));
    BatchInput doc;
    REQUIRE(in.source->next(doc));
    CHECK(doc.errors.empty());
    CAPTURE(doc.text);
    CHECK(doc.text.find("\"type\":\"patent_service_agency\"") != std::string::npos);
    CHECK(doc.text.find("\"amount\":3000000.00") != std::string::npos);
  }
  // A header the template lacks names the template, not a temporary file; a pack without one says so.
  std::string wrong = (dir.path / "wrong.csv").string();
  std::ofstream(wrong) << "申请编号,单位全称\r\nB-1,某机构\r\n";
  OpenedInput refused = open_template_sheet(wrong, *dongsheng.pack, {});
  CHECK_FALSE(refused.source);
  // With the template's advice (its headers), in both languages, not a mapping's.
  CHECK(all(refused.errors)
            .find("column '单位全称' is not a column of the sheet template of dongsheng-2024: head the "
                  "columns as the template does (申请编号, 单位名称,") != std::string::npos);
  CHECK(all(refused.errors).find("ignore:") == std::string::npos);
  CHECK(refused.errors.front().message_zh.find("请按模板填写列名：申请编号、单位名称、") != std::string::npos);
  CHECK(all(refused.errors).find("rulebook-template-") == std::string::npos);
  OpenedInput none = open_template_sheet(wrong, *xinjiang.pack, {});
  CHECK_FALSE(none.source);
  REQUIRE(none.errors.size() == 1);
  CHECK(none.errors[0].message_zh.find("没有表格模板") != std::string::npos);
}

// The inputs of a sheet run through the pack: each record's outcome, or its errors (Chinese).
struct Decided {
  std::string id, outcome, errors, missing;
};
std::vector<Decided> decide(OpenedInput& in, const CompiledPack& pack, Date as_of) {
  std::vector<Decided> out;
  REQUIRE_MESSAGE(in.source, all(in.errors));
  BatchOptions options;
  options.eval.as_of = as_of;
  options.jobs = 1;
  options.format = BatchFormat::none;
  options.on_record = [&](const BatchRecord& r) {
    Decided d{r.input.id, r.decision ? std::string(to_string(r.decision->outcome)) : "invalid", {}, {}};
    for (const auto& e : r.errors) d.errors += e.message_in("zh") + "\n";
    if (r.decision)
      for (const auto& rule : r.decision->rules)
        for (const auto& m : rule.missing) d.missing += rule.id + " " + m + "\n";
    out.push_back(std::move(d));
  };
  run_batch(pack, *in.source, options, nullptr);
  return out;
}

// A template carries every field the rules read of its rows (helper-80: qianjiang-2022's had no
// column for 所获奖项, so QJ-01 asked for it on every row, and no row filled from it could be
// decided). Each pack's template filled in every column is decided by every rule it reaches, and
// so is each other choice of each column (a branch may read what another does not).
TEST_CASE("every pack's template has a column for each field its rules read of a row") {
  test::TempDir dir;
  std::vector<std::string> with_template;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "rules")) {
    auto loaded = load_pack(entry.path());
    REQUIRE_MESSAGE(loaded.pack, all(loaded.errors));
    auto t = sheet_template(*loaded.pack);
    if (!t) continue;
    const PackInfo& info = loaded.pack->info();
    with_template.push_back(info.id);
    CAPTURE(info.id);
    // Each column's cells: every choice (and 无 for a list), yes and no, a date in the plan.
    std::vector<std::vector<std::string>> cells;
    for (const auto& c : t->columns) {
      std::vector<std::string> v;
      for (const auto& value : c.values) v.push_back(c.shown(value, "zh"));
      if (c.list) v.push_back("无");
      if (c.type == "boolean") v = {"是", "否"};
      if (c.type == "number") v = {"5", "0"};
      if (c.type == "date") v = {info.effective_from.to_string()};
      if (v.empty()) v = {c.path.ends_with("credit_code") ? "91150602MA0N2XY23D" : "X-1"};
      cells.push_back(std::move(v));
    }
    std::string file = (dir.path / (info.id + ".csv")).string();
    std::ofstream csv(file, std::ios::binary);
    csv << template_csv(*t, "zh");
    int rows = 0;
    auto row = [&](std::size_t column, std::size_t choice) {
      ++rows;
      for (std::size_t i = 0; i < t->columns.size(); ++i) {
        const std::string& path = t->columns[i].path;
        // Each row its own application, transaction and contract.
        std::string cell = path == t->group_by || path.ends_with("[].id") || path.ends_with("contract.number")
                               ? "R-" + std::to_string(rows)
                               : cells[i][i == column ? choice : 0];
        csv << (i ? "," : "") << cell;
      }
      csv << "\r\n";
    };
    row(0, 0);
    for (std::size_t i = 0; i < cells.size(); ++i)
      for (std::size_t k = 1; k < cells[i].size(); ++k) row(i, k);
    csv.close();
    OpenedInput in = open_template_sheet(file, *loaded.pack, {});
    auto as_of = Date::from_ymd(info.effective_to.year() + 1, 6, 30);
    REQUIRE(as_of);
    auto decided = decide(in, *loaded.pack, *as_of);
    CHECK(decided.size() == std::size_t(rows));
    for (const auto& d : decided) {
      CAPTURE(d.errors);
      CAPTURE(d.missing);
      CHECK(d.outcome != "invalid");
      CHECK(d.missing.empty());
    }
  }
  // bayingolin-2026, dongsheng-2024, heilongjiang-2023 and qianjiang-2022 at least.
  CHECK(with_template.size() >= 4);
  CHECK(std::count(with_template.begin(), with_template.end(), "qianjiang-2022") == 1);
}

// A list in one cell (qianjiang-2022's 所获奖项): its items by their labels, in either language, or
// by their values, separated by 、 ， , ； ; or a line break; 无 is the empty list; an empty cell is
// not stated, and asked for beside its cell; an item that is no choice is refused at its cell.
TEST_CASE("a template's list column: items by their labels, 无 for none, an empty cell asked for") {
  auto qianjiang = load_pack(test::source_dir() / "rules/qianjiang-2022");
  REQUIRE(qianjiang.pack);
  auto t = sheet_template(*qianjiang.pack);
  REQUIRE(t);
  CHECK(template_csv(*t, "zh") ==
        "\xEF\xBB\xBF发明人姓名,国内发明专利授权数,国外发明专利授权数,相关专利成果是否已转化运营,所获奖项\r\n");
  test::TempDir dir;
  std::string file = (dir.path / "inventors.csv").string();
  std::ofstream(file, std::ios::binary) << template_csv(*t, "zh") << "李晓红,3,0,是,无\r\n"
                                        << "王强,1,1,否,中国专利优秀奖；其他\r\n"
                                        << "赵敏,,2,是,\r\n"
                                        << "孙丽,0,0,否,\"china patent gold award, china_patent_excellence\"\r\n"
                                        << "周杰,3,0,是,中国专利金奖、省科技进步奖\r\n"
                                        << "吴刚,0,2,是,\"中国专利金奖\n其他\"\r\n"
                                        << "郑红,5,0,否,、；\r\n";
  struct Case {
    std::string_view awards;  // the document's list, or the cell's error
  };
  constexpr Case cases[] = {
      {"\"awards\":[]"},
      {"\"awards\":[\"china_patent_excellence\",\"other\"]"},
      {""},
      {"\"awards\":[\"china_patent_gold\",\"china_patent_excellence\"]"},
      {"E6（所获奖项）：每一项应为以下之一：中国专利金奖、中国专利优秀奖、其他（多项以“、”或“；”分隔，如无，填“无”），"
       "实际为“省科技进步奖”"},
      {"\"awards\":[\"china_patent_gold\",\"other\"]"},
      {"E9（所获奖项）：应为以“、”或“；”分隔的各项，如无，填“无”，实际为“、；”"},
  };
  OpenedInput in = open_template_sheet(file, *qianjiang.pack, {});
  REQUIRE_MESSAGE(in.source, all(in.errors));
  std::size_t row = 0;
  for (BatchInput doc; in.source->next(doc); ++row) {
    REQUIRE(row < std::size(cases));
    CAPTURE(doc.text);
    std::string_view want = cases[row].awards;
    if (want.starts_with("E")) {
      REQUIRE(doc.errors.size() == 1);
      CHECK(doc.errors[0].message_zh == want);
      continue;
    }
    CHECK(doc.errors.empty());
    if (want.empty()) {
      CHECK(doc.text.find("awards") == std::string::npos);  // not stated: no list, not an empty one
      // Asked for at its cell, with what to write when there is none.
      auto cell =
          std::find_if(doc.cells.begin(), doc.cells.end(), [](auto& c) { return c.first == "$.inventor.awards"; });
      REQUIRE(cell != doc.cells.end());
      CHECK(cell->second == "E4 所获奖项（如无，请填“无”）");
    } else {
      CHECK(doc.text.find(want) != std::string::npos);
    }
  }
  CHECK(row == std::size(cases));
  // Decided: 无 with the grants of 副高级 passes; the empty cell is asked for, never read as none.
  OpenedInput again = open_template_sheet(file, *qianjiang.pack, {});
  auto decided = decide(again, *qianjiang.pack, *Date::parse("2025-06-30"));
  REQUIRE(decided.size() == 7);
  CHECK(decided[0].outcome == "pass");
  CHECK(decided[1].outcome == "pass");
  CHECK(decided[2].outcome == "needs_info");
  CHECK(decided[2].missing == "QJ-01 $.inventor.awards\n");
  CHECK(decided[4].outcome == "invalid");
  // An older template's sheet, without the column, is told to add it: in its own file, not the template's.
  std::string old = (dir.path / "old.csv").string();
  std::ofstream(old, std::ios::binary)
      << "发明人姓名,国内发明专利授权数,国外发明专利授权数,相关专利成果是否已转化运营\r\n"
      << "李晓红,3,0,是\r\n";
  OpenedInput refused = open_template_sheet(old, *qianjiang.pack, {});
  CHECK_FALSE(refused.source);
  REQUIRE(refused.errors.size() == 1);
  CHECK(refused.errors[0].loc.file == old);
  CHECK(refused.errors[0].message_zh ==
        "表格缺少 qianjiang-2022 的表格模板中的列「所获奖项」（请按模板添加该列，或重新下载模板）");
  CHECK(
      refused.errors[0].message ==
      "the sheet lacks the column '所获奖项' of the sheet template of qianjiang-2022: add it as the template heads it, "
      "or download the template again");
}

// A grouped or template CSV row as wide as its header, or refused naming its line (helper-63):
// an unquoted 3,000,000 in the last column was three cells, read as 3; a short row lost cells
// without a word; a value under an empty header cell was dropped.
TEST_CASE("a grouped CSV row wider or narrower than its header, or a value under no header, is refused") {
  test::TempDir dir;
  const std::string header =
      "申请编号,单位名称,单位类型,已获资助,交易编号,达成交易,签订日期,三方合同,成功转化,合同编号,合同金额\n";
  std::string file = (dir.path / "width.csv").string();
  std::ofstream(file) << header
                      << "A-1,智汇公司,patent_service_agency,0,T-1,是,2024-05-20,是,是,DS-2024-001,3,000,000\n"
                      << "A-2,智汇公司,patent_service_agency,0,T-2,是,2024-05-20,是,是,DS-2024-002\n";
  // Each an invalid record of its application, as batch's ungrouped rows are; the sheet is read.
  OpenedInput in = open_sheet(file, {.mapping = data + "grouped.mapping.yaml"});
  auto width = inputs(in);
  REQUIRE(width.size() == 2);
  CHECK(width[0] ==
        file +
            ":2:1: error: expected 11 cells as in the header, got 13 (a cell holding a comma, as 3,000,000 does, "
            "must be quoted: \"3,000,000\")\n");
  CHECK(width[1] == file + ":3:1: error: expected 11 cells as in the header, got 10\n");
  // The same refusal through the pack's template, and in batch's ungrouped rows (shared: CsvReader).
  auto dongsheng = load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024");
  REQUIRE(dongsheng.pack);
  auto t = sheet_template(*dongsheng.pack);
  REQUIRE(t);
  std::string tmpl = (dir.path / "template.csv").string();
  std::ofstream(tmpl) << template_csv(*t, "zh")
                      << "B-1,某机构,,专利服务机构,0,T-1,是,HT-1,3,000,000,2024-05-20,是,是\r\n";
  OpenedInput templated = open_template_sheet(tmpl, *dongsheng.pack, {});
  auto from_template = inputs(templated);
  REQUIRE(from_template.size() == 1);
  CHECK(from_template[0].find(":2:1: error: expected 12 cells as in the header, got 14") != std::string::npos);
  // A stray quote in one row: that application alone is invalid, the others decided.
  std::string quote = (dir.path / "quote.csv").string();
  std::ofstream(quote) << header << "A-1,智汇公司,patent_service_agency,0,T-1,是,2024-05-20,是,是,DS-2024-001,3000000\n"
                       << "A-2,东胜\"专利\"事务所,patent_service_agency,0,T-2,是,2024-05-20,是,是,DS-2024-002,3000000\n"
                       << "A-3,某某公司,patent_service_agency,0,T-3,是,2024-05-20,是,是,DS-2024-003,3000000\n";
  OpenedInput quoted = open_sheet(quote, {.mapping = data + "grouped.mapping.yaml"});
  auto stray = inputs(quoted);
  REQUIRE(stray.size() == 3);
  CHECK(stray[0] == "");
  CHECK(stray[1].find(":3:1: error: column '单位名称': a quote inside a cell") != std::string::npos);
  CHECK(stray[2] == "");
  // The quote in the id itself: the row has no id left, and is its own invalid record, not one
  // more row of the application above it (helper-67: A-1 was made invalid and A-2 had no record).
  std::string id_quote = (dir.path / "id_quote.csv").string();
  std::ofstream(id_quote) << header
                          << "A-1,智汇公司,patent_service_agency,0,T-1,是,2024-05-20,是,是,DS-2024-001,3000000\n"
                          << "A-2\"x,东胜事务所,patent_service_agency,0,T-2,是,2024-05-20,是,是,DS-2024-002,3000000\n";
  OpenedInput id_quoted = open_sheet(id_quote, {.mapping = data + "grouped.mapping.yaml"});
  auto own = inputs(id_quoted);
  REQUIRE(own.size() == 2);
  CHECK(own[0] == "");
  CHECK(own[1].find(":3:1: error:") != std::string::npos);
  std::istringstream rows("a,b\n1,2,3\n");
  detail::CsvReader csv(rows, "in.csv", 1000);
  detail::CsvReader::Row row;
  REQUIRE(csv.next(row));
  REQUIRE(csv.next(row));
  REQUIRE(row.error);
  CHECK(row.cells == std::vector<std::string>{"1", "2", "3"});  // kept whole
  CHECK(row.error->message_zh.starts_with("该行有 3 个单元格，应与标题行一样为 2 个"));

  std::string blank = (dir.path / "blank.csv").string();
  std::ofstream(blank)
      << "申请编号,单位名称,单位类型,已获资助,交易编号,达成交易,合同金额,,签订日期,三方合同,成功转化,合同编号\n"
      << "A-1,智汇公司,patent_service_agency,0,T-1,是,3000000,备注,2024-05-20,是,是,DS-2024-001\n"
      << "A-2,智汇公司,patent_service_agency,0,T-2,是,3000000,,2024-05-20,是,是,DS-2024-002\n";
  OpenedInput headless = open_sheet(blank, {.mapping = data + "grouped.mapping.yaml"});
  auto got = inputs(headless);
  REQUIRE(got.size() == 2);
  CHECK(got[0].find(":2:1: error: H2: 备注 is in a column without a header (H1 is empty)") != std::string::npos);
  CHECK(got[1] == "");
}

// Ａ-1 and A-1 were two applications, each granted the 50万 cap (helper-63): ids equal under
// normalize_id make the later application invalid, naming both cells and both ids.
TEST_CASE("application ids that differ only in full-width characters, case or spaces are refused") {
  test::TempDir dir;
  std::string file = (dir.path / "ids.csv").string();
  std::ofstream(file)
      << "申请编号,单位名称,单位类型,已获资助,交易编号,达成交易,合同金额,签订日期,三方合同,成功转化,合同编号\n"
      << "A-1,智汇公司,patent_service_agency,0,T-1,是,6000000,2024-05-20,是,是,DS-2024-001\n"
      << "Ａ-1,智汇公司,patent_service_agency,0,T-2,是,6000000,2024-06-20,是,是,DS-2024-002\n"
      << "a-1,智汇公司,patent_service_agency,0,T-3,是,6000000,2024-06-20,是,是,DS-2024-003\n"
      << "A-2,智汇公司,patent_service_agency,0,T-4,是,6000000,2024-06-20,是,是,DS-2024-004\n";
  OpenedInput in = open_sheet(file, {.mapping = data + "grouped.mapping.yaml"});
  auto got = inputs(in);
  REQUIRE(got.size() == 4);
  CHECK(got[0] == "");
  CHECK(got[1] ==
        file +
            ":3:1: error: A3 (申请编号): application Ａ-1 and application A-1 in A2 differ only in full-width "
            "characters, letter case or spaces: write one application's id alike in all its rows, or tell "
            "two applications apart by more (not evaluated, so that nothing is granted twice)\n");
  CHECK(got[2].find("A4 (申请编号): application a-1 and application A-1 in A2 differ only") != std::string::npos);
  CHECK(got[3] == "");
}

// K2:K3 merged, its value stored in K2 alone, left the second transaction's cell missing
// (helper-63): a merged cell's value is every covered cell's, as the reviewer reads it.
TEST_CASE("a merged cell's value is read in every cell it covers") {
  std::vector<Error> errors;
  auto sheet = read_xlsx(data + "merged.xlsx", "", errors);
  REQUIRE_MESSAGE(sheet, all(errors));
  REQUIRE(sheet->rows.size() == 4);  // row 5, under E-2's merge alone, holds nothing else
  REQUIRE(cell(*sheet, 3, 0));
  CHECK(cell(*sheet, 3, 0)->text == "E-1");
  REQUIRE(cell(*sheet, 3, 8));
  CHECK(cell(*sheet, 3, 8)->text == "是");
  OpenedInput in = open_sheet(data + "merged.xlsx", {.mapping = data + "grouped.mapping.yaml"});
  REQUIRE_MESSAGE(in.source, all(in.errors));
  BatchInput doc;
  REQUIRE(in.source->next(doc));
  CHECK(doc.errors.empty());
  CHECK(doc.text.find("\"id\":\"T-2\",\"concluded\":true,\"contract\":{\"amount\":2000000,\"signed_on\":\"2024-06-20\","
                      "\"tripartite\":true,\"number\":\"DS-2024-302\"}") != std::string::npos);
  CAPTURE(doc.text);
  // The header's K1:L1 merge names one column, not two of the same name (the sheet would be refused).
  CHECK_FALSE(cell(*sheet, 0, 11));
  // Merges repeated over one area count every cell they cover: refused, not read for hours.
  errors.clear();
  CHECK_FALSE(read_xlsx(data + "merge_bomb.xlsx", "", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("merged cells cover more than 1048576 cells of rows in use") != std::string::npos);
}

TEST_CASE("results written as xlsx and read back cell by cell") {
  auto loaded = load_pack(std::string(RULEBOOK_SOURCE_DIR) + "/rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  test::TempDir dir;
  std::string out = (dir.path / "results.xlsx").string();
  // With the pack, an application's cells are shown as a reviewer reads them (a choice by its label).
  OpenedInput in = open_sheet(data + "grouped.xlsx", {.mapping = data + "grouped.mapping.yaml", .pack = &*loaded.pack});
  REQUIRE_MESSAGE(in.source, all(in.errors));
  CHECK(in.columns == std::vector<std::string>{"申请编号", "单位名称", "单位类型", "已获资助"});
  {
    ResultSheet sheet(out, *loaded.pack, in.columns, "zh");
    BatchOptions options;
    options.eval.as_of = *Date::parse("2025-06-30");
    options.jobs = 2;
    options.format = BatchFormat::none;
    options.on_record = [&](const BatchRecord& r) { sheet.add(r); };
    BatchResult result = run_batch(*loaded.pack, *in.source, options, nullptr);
    CHECK(result.summary.records() == 5);
    CHECK(result.summary.invalid() == 1);
    std::vector<Error> errors;
    REQUIRE_MESSAGE(sheet.close(errors), all(errors));
  }

  std::vector<Error> errors;
  auto results = read_xlsx(out, "审查结果", errors);
  REQUIRE_MESSAGE(results, all(errors));
  // The header names the input's columns, then the verdict, each rule, each rule's outputs, the reasons.
  std::map<std::string, std::uint32_t> col;
  for (const auto& [c, h] : results->rows.at(0).cells) col[h.text] = c;
  for (std::string_view h : {"申请编号", "单位名称", "结论", "DS-01", "DS-01 本次资助合计", "DS-01 核定资助", "原因"}) {
    CAPTURE(h);
    CHECK(col.count(std::string(h)));
  }
  auto at = [&](std::uint32_t row, const std::string& header) -> std::string {
    const SheetCell* c = cell(*results, row, col.at(header));
    return c ? c->text : "";
  };
  using K = SheetCell::Kind;
  struct Case {
    std::uint32_t row;
    std::string_view id, type, verdict, ds01, total;
  };
  constexpr Case cases[] = {
      {2, "A-1", "专利服务机构", "通过", "通过", "250000.03"},
      {3, "A-2", "专利服务机构", "通过", "通过", "500000"},  // 300,000 + 250,000 capped at 50万 together
      {4, "A-3", "专利服务机构", "无法审查（见“错误”表）", "", ""},
      {5, "A-4", "专利服务机构", "需补充材料", "需补充材料", "未知"},  // as the report says it
      {6, "A-5", "企业", "不通过", "不通过", "0"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.id);
    CHECK(at(c.row, "申请编号") == c.id);
    CHECK(at(c.row, "单位类型") == c.type);  // typed patent_service_agency, shown by its label
    CHECK(at(c.row, "结论") == c.verdict);
    CHECK(at(c.row, "DS-01") == c.ds01);
    CHECK(at(c.row, "DS-01 本次资助合计") == c.total);
    if (c.total.starts_with('0') || c.total.starts_with('2') || c.total.starts_with('5'))
      CHECK(int(cell(*results, c.row, col.at("DS-01 本次资助合计"))->kind) == int(K::number));
  }
  // Outputs as the report shows them (report::Presenter): a list item by item, money in 元, codes
  // by the output's labels, text without quotes.
  CHECK(at(2, "DS-01 核定资助") == "150,000.00 元、100,000.03 元");
  CHECK(at(5, "DS-01 核定资助") == "20,000.00 元、未知");
  CHECK(at(2, "DS-01 合同编号") == "DS-2024-001、DS-2024-002");
  CHECK(at(2, "DS-01 此前已获资助的依据") == "申请人申报");
  CHECK(at(6, "单位名称") == "=SUM(A1:A2)");  // text, not a formula
  CHECK(int(cell(*results, 6, col.at("单位名称"))->kind) == int(K::text));
  CHECK(at(5, "原因") == "DS-01: 缺少 申请!J9 成功转化（T-7）");  // the cell to fill, once
  CHECK(at(6, "原因") == "DS-01: 没有符合条件的项目（共 1 项）；DS-01: 申请人不是专利服务机构（T-8）");
  // What could not be read, in the reviewer's language (Chinese by default).
  const std::string twice = "申请!E7（交易编号）：申请 A-3 再次列出交易 T-5（与 申请!E6 重复）";
  CHECK(at(4, "原因").starts_with(twice));

  auto problems = read_xlsx(out, "错误", errors);
  REQUIRE(problems);
  REQUIRE(problems->rows.size() == 2);
  CHECK(cell(*problems, 2, 0)->text == "6");
  CHECK(cell(*problems, 2, 1)->text == "A-3");
  CHECK(cell(*problems, 2, 2)->text.starts_with(twice));
}

// The results of a template's sheet, in either language: the cells as typed are shown by their
// labels (a code or true typed is shown as the label or 是), an input the schema refuses is named
// by its cell and said in the workbook's language, never by its JSON path (helper-80).
TEST_CASE("a template's results workbook shows labels and says what is wrong in the reviewer's language") {
  auto loaded = load_pack(test::source_dir() / "rules/heilongjiang-2023");
  REQUIRE(loaded.pack);
  auto t = sheet_template(*loaded.pack);
  REQUIRE(t);
  test::TempDir dir;
  std::string file = (dir.path / "examined.csv").string();
  std::ofstream(file, std::ios::binary)
      << template_csv(*t, "zh") << "202410987654.3,发明专利,装备制造,是,2024-08-30,2025-02-27\r\n"
      << "202410987655.1,发明,装备制造,是,2024-08-30,2025-03-10\r\n"
      << "202410987657.1,invention,EQUIPMENT_MANUFACTURING,true,2024-09-01,2025-01-01\r\n";
  struct Case {
    std::string_view lang, kind, industry, center, refused;
  };
  constexpr Case cases[] = {
      {"zh", "发明专利", "装备制造", "是",
       "B3（专利类型）：应为以下之一：发明专利、实用新型专利、外观设计专利，实际为“发明”"},
      {"en", "invention patent", "equipment manufacturing", "yes",
       "B3 (专利类型): expected one of invention patent, utility model, design patent, got \"发明\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.lang);
    std::string out = (dir.path / ("results-" + std::string(c.lang) + ".xlsx")).string();
    OpenedInput in = open_template_sheet(file, *loaded.pack, {.mapping = {}, .lang = std::string(c.lang)});
    REQUIRE_MESSAGE(in.source, all(in.errors));
    {
      ResultSheet sheet(out, *loaded.pack, in.columns, std::string(c.lang));
      BatchOptions options;
      options.eval.as_of = *Date::parse("2025-06-30");
      options.format = BatchFormat::none;
      options.on_record = [&](const BatchRecord& r) { sheet.add(r); };
      run_batch(*loaded.pack, *in.source, options, nullptr);
      std::vector<Error> errors;
      REQUIRE_MESSAGE(sheet.close(errors), all(errors));
    }
    std::vector<Error> errors;
    auto results = read_xlsx(out, "", errors);
    REQUIRE_MESSAGE(results, all(errors));
    for (std::uint32_t row : {2u, 4u}) {
      CAPTURE(row);
      CHECK(cell(*results, row, 1)->text == c.kind);
      CHECK(cell(*results, row, 2)->text == c.industry);
      CHECK(cell(*results, row, 3)->text == c.center);
    }
    CHECK(cell(*results, 3, 1)->text == "发明");  // refused: as typed
    std::string reasons;
    for (const auto& [column, value] : results->rows.at(2).cells) reasons = value.text;  // the last column
    CHECK(reasons == c.refused);
  }
}

}  // namespace
}  // namespace rulebook
