#!/usr/bin/env python3
"""Writes the test workbooks of tests/data/sheets/ with the standard library only: an xlsx is a
zip of XML parts. Cells are written as Excel writes them (shared strings, numbers as text, date
serials in date-formatted cells, booleans), plus damaged workbooks the reader must refuse.
grouped.jsonl is not generated: it holds the applications of grouped.xlsx written by hand as
documents, the answer the sheet is checked against. Run from this folder: python3 make_sheets.py"""
import datetime
import decimal
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
# Styles: 0 general, 1 built-in date (14), 2 a custom Chinese date, 3 #,##0.00 (not a date),
# 4 [Red]0.00 (brackets hide the d of Red: not a date).
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="[Red]0.00"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def with_style(num_fmt_id, code=None):
    """STYLES with a sixth cell style (s="5") of this number format, custom when `code` is given."""
    styles = STYLES.replace('<cellXfs count="5">', '<cellXfs count="6">').replace(
        "</cellXfs>", f'<xf numFmtId="{num_fmt_id}" applyNumberFormat="1"/></cellXfs>')
    if code is None:
        return styles
    return styles.replace('<numFmts count="2">', f'<numFmts count="3"><numFmt numFmtId="{num_fmt_id}" formatCode="{code}"/>')


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class Date:
    """A date written as Excel does: its serial number in a date-formatted cell."""

    def __init__(self, iso, style=1):
        self.serial = (datetime.date.fromisoformat(iso) - datetime.date(1899, 12, 30)).days
        self.style = style


class Num:
    """A number cell holding exactly this text, with an optional style."""

    def __init__(self, text, style=0):
        self.text, self.style = text, style


class Raw:
    """A cell's XML as is (inline strings, error cells, booleans)."""

    def __init__(self, xml):
        self.xml = xml


def cell_xml(ref, v, strings):
    if v is None or v == "":
        return ""
    if isinstance(v, Raw):
        return v.xml.format(ref=ref)
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, Date):
        return f'<c r="{ref}" s="{v.style}"><v>{v.serial}</v></c>'
    if isinstance(v, Num):
        return f'<c r="{ref}" s="{v.style}"><v>{v.text}</v></c>'
    if isinstance(v, int):
        return f'<c r="{ref}"><v>{v}</v></c>'
    if v not in strings:
        strings.append(v)
    return f'<c r="{ref}" t="s"><v>{strings.index(v)}</v></c>'


def sheet_xml(rows, strings, merges=()):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        cells = "".join(cell_xml(f"{col_name(c)}{r}", v, strings) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    merged = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
    out.append("</sheetData>" + (f'<mergeCells count="{len(merges)}">{merged}</mergeCells>' if merges else "") + "</worksheet>")
    return "\n".join(out)


def workbook(path, sheets, drop=(), replace=None, date1904=False, merges=()):
    """sheets: [(name, rows)]; drop: parts left out; replace: {part: text} written instead;
    date1904: day numbers count from 1904-01-01, as old Mac workbooks do; merges: the first
    sheet's merged ranges ("I2:I3")."""
    strings = []
    parts = {}
    for i, (name, rows) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(rows, strings, merges if i == 1 else ())
    parts["[Content_Types].xml"] = CONTENT_TYPES.format(sheets="\n".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)))
    parts["_rels/.rels"] = ROOT_RELS
    parts["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        + ('<workbookPr date1904="1"/>' if date1904 else "") + "<sheets>"
        + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1))
        + "</sheets></workbook>")
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(sheets) + 1))
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        + "</Relationships>")
    parts["xl/styles.xml"] = STYLES
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>")
    parts.update(replace or {})
    # A fixed timestamp, so the files are the same bytes on every run.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            if name in drop:
                continue
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode() if isinstance(text, str) else text)


HEADER = ["申请编号", "单位名称", "单位类型", "已获资助", "交易编号", "达成交易", "合同金额", "签订日期", "三方合同", "成功转化", "合同编号"]
AGENCY = "智汇知识产权服务有限公司"

# One row per transaction, as the trial's office kept them; application cells repeated, or left
# empty below an application's first row (as merged cells are stored).
GROUPED = [
    HEADER,
    # two transactions, 150,000.00 + 100,000.025 → 250,000.03 in all.
    ["A-1", AGENCY, "patent_service_agency", 0, "T-1", "是", Num("3000000"), Date("2024-05-20"), "是", "是", "DS-2024-001"],
    ["A-1", AGENCY, "patent_service_agency", 0, "T-2", True, Num("2000000.5", 3), Date("2024-07-01", 2), True, "是", "DS-2024-002"],
    # 300,000 + 250,000 pass the 50万 cap together (each row alone would not): capped at 500,000.
    ["A-2", "东胜专利事务所", "patent_service_agency", 0, "T-3", "是", "6,000,000.00", "2024/8/1", "是", "是", "DS-2024-003"],
    ["A-2", "", "", "", "T-4", "是", Num("5E+6"), "2024年9月15日", "是", "是", "DS-2024-004"],
    # T-5 listed twice (its contract number too): reported, never paid twice.
    ["A-3", "某某知识产权代理有限公司", "patent_service_agency", 0, "T-5", "是", Num("1000000"), Date("2024-06-01"), "是", "是", "DS-2024-005"],
    ["A-3", "某某知识产权代理有限公司", "patent_service_agency", 0, "T-5", "是", Num("1000000"), Date("2024-06-01"), "是", "是", "DS-2024-005"],
    # whether T-7 was transformed is not recorded: needs information.
    ["A-4", AGENCY + "（分公司）", "patent_service_agency", Num("100000"), "T-6", "是", Num("400000"), Date("2024-03-01"), "是", "是", "DS-2024-006"],
    ["A-4", AGENCY + "（分公司）", "patent_service_agency", Num("100000"), "T-7", "是", Num("1200000"), Date("2024-04-01"), "是", "", "DS-2024-007"],
    # an enterprise, not an agency; its name looks like a formula and must stay text.
    ["A-5", "=SUM(A1:A2)", "enterprise", 0, "T-8", "是", Num("100000"), Date("2024-06-01"), "是", "是", "DS-2024-008"],
]

# Groups an office gets wrong: an application split by another, cells that disagree, a bad amount.
MALFORMED_GROUPS = [
    HEADER,
    ["B-1", AGENCY, "patent_service_agency", 0, "T-1", "是", Num("1000000"), Date("2024-05-20"), "是", "是", "DS-2024-101"],
    ["B-2", AGENCY, "patent_service_agency", 0, "T-2", "是", Num("1000000"), Date("2024-05-20"), "是", "是", "DS-2024-102"],
    ["B-1", AGENCY, "patent_service_agency", 0, "T-3", "是", Num("1000000"), Date("2024-05-21"), "是", "是", "DS-2024-103"],
    ["B-3", AGENCY, "patent_service_agency", 0, "T-4", "是", Num("1000000"), Date("2024-05-20"), "是", "是", "DS-2024-104"],
    ["B-3", AGENCY, "enterprise", 0, "T-5", "是", Num("1000000"), Date("2024-05-20"), "是", "是", "DS-2024-105"],
    ["B-4", AGENCY, "patent_service_agency", 0, "T-6", "是", "三百万", Date("2024-05-20"), "是", "是", "DS-2024-106"],
    ["B-5", AGENCY, "patent_service_agency", 0, "T-7", "是", Num("1000000"), Num("45432"), "是", Raw('<c r="{ref}" t="e"><v>#N/A</v></c>'), "DS-2024-107"],
    # An amount past what is kept exactly, named at its cell as written.
    ["B-6", AGENCY, "patent_service_agency", 0, "T-8", "是", Num("1e400"), Date("2024-05-20"), "是", "是", "DS-2024-108"],
    # A boolean cell without its value is missing data, never false: B-7 needs information.
    ["B-7", AGENCY, "patent_service_agency", 0, "T-9", "是", Num("1000000"), Date("2024-05-20"), Raw('<c r="{ref}" t="b"><v></v></c>'), "是", "DS-2024-109"],
]

# Every kind of cell the reader must tell apart, in column A; column B says what A holds.
TYPES = [
    ["value", "kind"],
    ["共享字符串", "shared string"],
    [Raw('<c r="{ref}" t="inlineStr"><is><t>内联</t></is></c>'), "inline string"],
    [Raw('<c r="{ref}" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r><rPh><t>ふりがな</t></rPh></is></c>'), "rich text runs"],
    [Num("3000000.05"), "number"],
    [Num("1.5E-7"), "tiny number"],
    [Num("12345678901234567890"), "many digits"],
    [True, "boolean"],
    [Date("2024-05-20"), "built-in date"],
    [Date("2024-02-29", 2), "custom date"],
    [Num("45432", 3), "thousands format, not a date"],
    [Num("7.5", 4), "[Red] format, not a date"],
    [Raw('<c r="{ref}" t="e"><v>#DIV/0!</v></c>'), "error"],
    [Raw('<c r="{ref}" t="str"><f>A1&amp;"x"</f><v>valuex</v></c>'), "formula text"],
    [Raw('<c r="{ref}" s="1"/>'), "styled empty cell"],
    ["=1+2", "text that looks like a formula"],
    [Raw('<c r="{ref}" t="b"><v>0</v></c>'), "boolean false"],
    [Raw('<c r="{ref}" t="b"><v></v></c>'), "boolean without a value"],
    [Num("59.999999999999993"), "=64.1-4.1 as stored: Excel shows 60"],
    [Num("3000000.3000000003"), "a sum as stored: Excel shows 3000000.3"],
    [Num("-0.99999999999999999"), "rounded up to a new digit"],
    [Raw('<c r="{ref}" t="inlineStr"><is><t>A-1_x000D_</t></is></c>'), "an escaped carriage return (ST_Xstring)"],
    ["T_x005F_x0031__x00e9_", "an escaped underscore, then é"],
    [Raw('<c r="{ref}" t="inlineStr"><is><r><t>_xD83D__xDE00_</t></r><r><t>_xD83D_x</t></r></is></c>'), "a surrogate pair; a lone one"],
]

if __name__ == "__main__":
    workbook("grouped.xlsx", [("申请", GROUPED)])
    workbook("malformed_groups.xlsx", [("Sheet1", MALFORMED_GROUPS)])
    workbook("types.xlsx", [("Cover", [["not this sheet"]]), ("Cells", TYPES)])
    # 2024-05-20 is day 43970 in the 1904 system.
    workbook("date1904.xlsx", [("Sheet1", [["date"], [Num("43970", 1)]])], date1904=True)
    # The flat sheet of tests/data/applications.csv (one row per application, transactions[0]
    # paths), its amounts as numbers and its dates as day numbers, as Excel would save it.
    with open("../applications.csv", encoding="utf-8") as f:
        import csv
        rows = list(csv.reader(f))
    flat = [rows[0]]
    for r in rows[1:]:
        out = list(r)
        out[3] = Num(r[3])
        if r[6].replace(",", "").replace(".", "").isdigit():
            out[6] = Num(r[6].replace(",", ""))
        out[7] = Date(r[7])
        flat.append(out)
    workbook("applications.xlsx", [("Sheet1", flat)])
    # The same applications as CSV, for grouping without xlsx.
    with open("grouped.csv", "w", encoding="utf-8", newline="") as f:
        import csv
        w = csv.writer(f, lineterminator="\n")
        for row in GROUPED:
            out = []
            for v in row:
                if isinstance(v, Date):
                    out.append((datetime.date(1899, 12, 30) + datetime.timedelta(days=v.serial)).isoformat())
                elif isinstance(v, Num):
                    out.append(format(decimal.Decimal(v.text), "f"))  # as a spreadsheet shows it
                elif isinstance(v, bool):
                    out.append("是" if v else "否")
                else:
                    out.append(v)
            w.writerow(out)
    # A money cell whose format adds 万元 to the number it holds (123.45 shows "123.45万元"): refused.
    workbook("wan.xlsx", [("Sheet1", [["amount"], [Num("123.45", 5)]])],
             replace={"xl/styles.xml": with_style(166, "0.00&quot;万元&quot;")})
    # A share formatted as a percentage (0.615 shows 61.50%), built-in 0.00% or custom: refused.
    workbook("percent.xlsx", [("Sheet1", [["share"], [Num("0.615", 5)]])], replace={"xl/styles.xml": with_style(10)})
    workbook("percent_custom.xlsx", [("Sheet1", [["share"], [Num("0.615", 5)]])],
             replace={"xl/styles.xml": with_style(167, "[Blue]0.0\\ %")})
    # Damaged workbooks: each must end in a message and exit 2, never a crash or a hang.
    with open("not_a_zip.xlsx", "w") as f:
        f.write("申请编号,单位名称\nA-1,x\n")
    workbook("no_workbook.xlsx", [("Sheet1", GROUPED)], drop={"xl/workbook.xml"})
    workbook("bad_xml.xlsx", [("Sheet1", GROUPED)], replace={"xl/worksheets/sheet1.xml": "<worksheet><sheetData><row r=\"1\">"})
    workbook("huge_row.xlsx", [("Sheet1", GROUPED)], replace={"xl/worksheets/sheet1.xml":
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'})
    workbook("far_cell.xlsx", [("Sheet1", GROUPED)], replace={"xl/worksheets/sheet1.xml":
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="ZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'})
    workbook("bad_string.xlsx", [("Sheet1", GROUPED)], replace={"xl/worksheets/sheet1.xml":
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>4000000000</v></c></row></sheetData></worksheet>'})
    # Bytes that are not UTF-8 in a cell's text (pugixml takes them as they are).
    workbook("not_utf8.xlsx", [("Sheet1", GROUPED)], replace={"xl/worksheets/sheet1.xml":
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xff</t></is></c></row></sheetData></worksheet>'})
    # A part in Latin-1, as its declaration says: read, converted (café).
    workbook("latin1.xlsx", [("Sheet1", GROUPED)], replace={"xl/worksheets/sheet1.xml":
             b'<?xml version="1.0" encoding="ISO-8859-1"?>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>caf\xe9</t></is></c></row></sheetData></worksheet>'})
    # A boolean cell holds 1 or 0; any other value is not taken for false.
    workbook("bad_bool.xlsx", [("Sheet1", [["flag"], [Raw('<c r="{ref}" t="b"><v>2</v></c>')]])])
    # Cells the reader refuses: their application is invalid when a column read holds them.
    workbook("refused_cells.xlsx", [("申请", [
        HEADER,
        ["C-1", AGENCY, "patent_service_agency", 0, "T-1", "是", Num("3000000"), Date("2024-05-20"), "是", "是", "DS-2024-201", Num("600", 5)],
        ["C-2", AGENCY, "patent_service_agency", 0, "T-2", "是", Num("300", 5), Date("2024-05-20"), "是", "是", "DS-2024-202"],
        ["C-3", AGENCY, "patent_service_agency", 0, "T-3", "是", Raw('<c r="{ref}"><f>1000000*3</f></c>'), Date("2024-05-20"), "是", "是", "DS-2024-203"],
        ["C-4", AGENCY, "patent_service_agency", Raw('<c r="{ref}"><v></v></c>'), "T-4", "是", Num("3000000"), Date("2024-05-20"), "是", "是", "DS-2024-204"],
    ])], replace={"xl/styles.xml": with_style(166, "0.00&quot;万元&quot;")})
    # Merged cells over an application's rows: the id (A2:A3) and 三方合同 (I2:I3) in the first row
    # alone, as Excel stores them; both are each row's. E-2's I4:I5 covers a row with nothing else.
    workbook("merged.xlsx", [("申请", [
        HEADER,
        ["E-1", AGENCY, "patent_service_agency", 0, "T-1", "是", Num("3000000"), Date("2024-05-20"), "是", "是", "DS-2024-301"],
        [None, None, None, None, "T-2", "是", Num("2000000"), Date("2024-06-20"), None, "是", "DS-2024-302"],
        ["E-2", AGENCY, "patent_service_agency", 0, "T-3", "是", Num("3000000"), Date("2024-05-20"), "否", "是", "DS-2024-303"],
    ])], merges=("A2:A3", "I2:I3", "I4:I5", "K1:L1"))  # K1:L1: a header merged over two columns names one
    # The same merge over two whole rows, repeated: refused once the cells covered pass 2^20, not
    # read for hours (helper-67).
    workbook("merge_bomb.xlsx", [("Sheet1", [["id"], ["A-1"]])], merges=("A1:XFD2",) * 40)
    # A formula saved without its result (by a program that computes none) is no empty cell.
    workbook("formula.xlsx", [("Sheet1", [["amount"], [Raw('<c r="{ref}"><f>1000000*3</f></c>')]])])
    # 100 MiB of spaces deflate to about 100 KiB: past the 64 MiB bound, refused as it unpacks.
    workbook("bomb.xlsx", [("Sheet1", GROUPED)], replace={"xl/worksheets/sheet1.xml": b" " * (100 << 20)})
