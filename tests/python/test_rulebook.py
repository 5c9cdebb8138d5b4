"""The Python module as a Python user calls it (run by ctest: `python` and `dask`)."""
import datetime
import json
import os
import threading
import time
from decimal import Decimal

import pytest

import rulebook

SRC = os.environ["RULEBOOK_SOURCE_DIR"]
PACK = os.path.join(SRC, "rules", "dongsheng-2024")
EXAMPLES = os.path.join(SRC, "examples", "dongsheng-2024")


def example(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        return f.read()


@pytest.fixture(scope="module")
def pack():
    return rulebook.load(PACK)


def numbers(value):
    """Every number in a decoded decision."""
    if isinstance(value, dict):
        for v in value.values():
            yield from numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from numbers(v)
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        yield value


def test_check_gives_decimals(pack):
    d = pack.check(example("multi.json"), as_of="2025-06-30")
    assert d["outcome"] == "pass"
    ds01 = next(r for r in d["rules"] if r["id"] == "DS-01")
    assert ds01["outputs"]["total"] == Decimal("500000.00")
    assert str(ds01["outputs"]["total"]) == "500000.00"  # the digits the rule gives
    assert ds01["outputs"]["requested"][2] == Decimal("61728.3945")
    found = list(numbers(d))
    assert found and all(type(n) is Decimal for n in found)


def test_dict_and_text_agree(pack):
    text = example("multi.json")
    as_dict = json.loads(text, parse_float=Decimal)
    day = datetime.date(2025, 6, 30)
    assert pack.check(as_dict, as_of=day) == pack.check(text, as_of="2025-06-30")
    # floats in a dict keep their shortest reading (0.1 stays 0.1)
    as_floats = json.loads(text)
    assert pack.check(as_floats, as_of=day) == pack.check(text, as_of=day)


def test_same_decision_as_the_command_line(pack):
    import subprocess
    cli = os.environ.get("RULEBOOK_CLI")
    if not cli:
        pytest.skip("RULEBOOK_CLI not set")
    out = subprocess.run([cli, "check", "--pack", PACK, "--as-of", "2025-06-30", "--format", "json",
                          os.path.join(EXAMPLES, "multi.json")], capture_output=True, check=False).stdout
    want = json.loads(out, parse_float=Decimal, parse_int=Decimal)
    got = pack.check(example("multi.json"), as_of="2025-06-30", name=os.path.join(EXAMPLES, "multi.json"))
    assert got == want


def test_numbers_as_strings_for_javascript(pack):
    text = pack.check_json(example("multi.json"), as_of="2025-06-30", numbers_as_strings=True)
    assert '"total": "500000.00"' in text
    plain = pack.check_json(example("multi.json"), as_of="2025-06-30")
    assert '"total": 500000.00' in plain


def test_review_date_is_required(pack):
    with pytest.raises(TypeError):
        pack.check(example("multi.json"))  # no as_of: never a silent default
    with pytest.raises(ValueError, match="2025-02-30"):
        pack.check(example("multi.json"), as_of="2025-02-30")


def test_malformed_json_names_line_and_column(pack):
    with pytest.raises(rulebook.InputError) as e:
        pack.check('{\n  "applicant": [1,\n}', as_of="2025-06-30", name="app.json")
    assert e.value.kind == "json"
    assert "app.json:3:" in str(e.value)
    assert e.value.errors[0]["at"].startswith("app.json:3:")


def test_schema_violation_names_the_path(pack):
    with pytest.raises(rulebook.InputError) as e:
        pack.check({"applicant": {"name": 7}}, as_of="2025-06-30")
    assert e.value.kind == "input"
    assert any(err["json_path"].startswith("$.") for err in e.value.errors)
    assert "$." in str(e.value)


def test_load_error_names_file_line_col(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pack.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(rulebook.LoadError) as e:
        rulebook.load(bad)
    assert "pack.yaml:" in str(e.value)
    with pytest.raises(rulebook.LoadError):
        rulebook.load(tmp_path / "absent")


def test_pack_found_through_rulebook_path(tmp_path, monkeypatch):
    """A pack copied out of the tree finds its schemas through RULEBOOK_PATH, as the C API and the
    command line load it: it loads and decides the same (it raised RuntimeError from the content
    hash, which looks for the schemas beside the pack only). Its summary, which carries that hash,
    is refused as `batch --summary --format json` refuses it."""
    import shutil
    mine = tmp_path / "mine" / "dongsheng-2024"
    shutil.copytree(PACK, mine)
    monkeypatch.setenv("RULEBOOK_PATH", SRC)
    monkeypatch.chdir(tmp_path)
    copied = rulebook.load(mine)
    got = copied.check_json(example("multi.json"), as_of="2025-06-30").replace(str(mine), PACK)
    assert got == rulebook.load(PACK).check_json(example("multi.json"), as_of="2025-06-30")  # but where a condition is written
    assert len(list(copied.batch([example("multi.json")], as_of="2025-06-30"))) == 1
    with pytest.raises(RuntimeError, match="cannot summarise"):
        copied.summary([example("multi.json")], as_of="2025-06-30")


def test_bytes_not_utf8(pack):
    """Bytes that are not UTF-8 are malformed JSON, as the command line says (line:col), not a
    UnicodeDecodeError; in a batch the document is invalid in its place and the batch goes on
    (the whole batch stopped)."""
    bad = b'{"applicant":\n {"name": "\xff"}}'
    with pytest.raises(rulebook.InputError) as e:
        pack.check(bad, as_of="2025-06-30", name="app.json")
    assert e.value.kind == "json" and e.value.errors[0]["at"] == "app.json:2:12", e.value.errors
    out = list(pack.batch([example("multi.json"), bad, example("multi.json")], as_of="2025-06-30"))
    assert [d["outcome"] for d in out] == ["pass", "invalid", "pass"]
    assert out[1]["errors"][0]["at"] == "-:3:12"  # its second line, as batch counts the second document's


def test_bad_values_in_dicts(pack):
    with pytest.raises(ValueError):
        pack.check({"x": float("nan")}, as_of="2025-06-30")
    with pytest.raises(TypeError):
        pack.check({"x": object()}, as_of="2025-06-30")


def test_batch_in_order_with_invalid_records(pack):
    docs = [example("multi.json"), "{oops", example("capped.json"), {"applicant": {"name": 7}}] * 50
    out = list(pack.batch(docs, as_of="2025-06-30", jobs=2, chunk=64))
    assert len(out) == len(docs)
    one = pack.check(example("multi.json"), as_of="2025-06-30", trace=False)
    for i, d in enumerate(out):
        if i % 4 in (1, 3):
            assert d["outcome"] == "invalid" and d["errors"]
        elif i % 4 == 0:
            assert d == one
    assert out[1]["errors"][0]["at"].startswith("-:2:")  # the second document, as batch counts lines
    # and past the first chunk too (the 66th document was said to be the 2nd: its place in its chunk)
    assert out[65]["errors"][0]["at"].startswith("-:66:"), out[65]["errors"]


def test_batch_releases_the_gil(pack):
    """A Python thread keeps running while batch evaluates (the engine's call alone is timed:
    decoding the answers in Python would let the thread run in any case)."""
    texts = [example("multi.json")] * 3000
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.01)
    before = len(ticks)
    start = time.perf_counter()
    out = pack._impl.batch(texts, "2025-06-30", 2, False, False)
    took = time.perf_counter() - start
    during = len(ticks) - before
    stop.set()
    t.join()
    assert len(out) == 3000 and all(text for text, _ in out)
    # Holding the GIL for the whole call, the ticker would tick once or twice at most.
    assert during > 10, (during, took)


def test_summary_and_merge_match_one_run(pack):
    docs = [example(n) for n in ("multi.json", "capped.json", "eligible.json", "ineligible.json")] * 10
    whole = pack.summary(docs, as_of="2025-06-30")
    parts = [pack.summary(docs[i::3], as_of="2025-06-30") for i in range(3)]
    assert json.loads(rulebook.merge(parts)) == json.loads(whole)
    assert json.loads(whole)["records"] == 40
    # A sum past the 36 digits a decimal holds is refused, as `batch --merge` refuses it (the
    # binding returned the other part's sum as the total).
    big = json.loads(whole, parse_float=Decimal)
    sums = [o for r in big["rules"] for o in r.get("outputs", {}).values() if o.get("sum", 0) > 0]
    sums[0]["sum"] = Decimal("9" * 36)
    with pytest.raises(ValueError, match="36 digits"):
        rulebook.merge([whole, big])
    # A document of bytes that are not UTF-8 is one invalid record, as in `batch --summary`: the
    # summary goes on (it raised UnicodeDecodeError, then InputError, losing the whole run).
    mixed = json.loads(pack.summary([b'{"applicant": "\xff"}', example("eligible.json")], as_of="2025-06-30"))
    assert (mixed["records"], mixed["invalid"], mixed["outcomes"]["pass"]) == (2, 1, 1)
    # So is a str holding a lone surrogate (json.loads makes one of "\ud800"), as text or in a
    # dict: pybind11's TypeError lost the whole call.
    lone = json.loads('{"applicant": {"name": "\\ud800"}}')
    for doc in (json.dumps(lone, ensure_ascii=False), lone):
        mixed = json.loads(pack.summary([doc, example("eligible.json")], as_of="2025-06-30"))
        assert (mixed["records"], mixed["invalid"], mixed["outcomes"]["pass"]) == (2, 1, 1)
        decided = list(pack.batch([doc, example("eligible.json")], as_of="2025-06-30"))
        assert [d["outcome"] for d in decided] == ["invalid", "pass"]
        with pytest.raises(rulebook.InputError):
            pack.check(doc, as_of="2025-06-30")
    # Parts given as dicts read with Decimal keep every digit of their sums (json.dumps refused
    # Decimal; floats would have rounded the 17th digit away).
    as_dicts = [json.loads(p, parse_float=Decimal) for p in parts]
    assert json.loads(rulebook.merge(as_dicts), parse_float=Decimal) == json.loads(whole, parse_float=Decimal)


def test_one_document_is_not_a_list_of_documents(pack):
    """A str given to summary or batch in place of a list counted each of its characters as a
    document (a summary of thousands of invalid records); bytes, their bytes; a dict, its keys."""
    text = example("eligible.json")
    for one in (text, text.encode(), bytearray(text.encode()), memoryview(text.encode()), json.loads(text)):
        with pytest.raises(TypeError, match="summary expects a list of documents"):
            pack.summary(one, as_of="2025-06-30")
        with pytest.raises(TypeError, match="batch expects a list of documents"):
            list(pack.batch(one, as_of="2025-06-30"))
    # A document given as a bytearray or a memoryview is read as bytes are (a memoryview was refused
    # as a value a document cannot hold).
    raw = text.encode()
    whole = json.loads(pack.summary([raw, bytearray(raw), memoryview(raw)], as_of="2025-06-30"))
    assert (whole["records"], whole["invalid"], whole["outcomes"]["pass"]) == (3, 0, 3)
    assert pack.check(memoryview(raw), as_of="2025-06-30") == pack.check(raw, as_of="2025-06-30")
    assert [d["outcome"] for d in pack.batch((memoryview(raw), bytearray(raw)), as_of="2025-06-30")] == ["pass"] * 2


def test_version():
    assert rulebook.__version__.count(".") == 2
