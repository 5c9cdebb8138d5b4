"""rulebook for Python: load a rule pack once, check documents against it.

    import rulebook
    pack = rulebook.load("rules/dongsheng-2024")
    d = pack.check({"applicant": {...}, "transactions": [...]}, as_of="2025-06-30")
    d["outcome"], d["rules"][0]["outputs"]["total"]          # 'pass', Decimal('500000.00')
    for d in pack.batch(documents, as_of="2025-06-30", jobs=4): ...
    part = pack.summary(documents, as_of="2025-06-30")        # batch --summary --format json
    rulebook.merge([part, other_part])                         # batch --merge

Documents are dicts (numbers may be int, float or decimal.Decimal; dates datetime.date) or JSON
text (str, or bytes, bytearray or memoryview in UTF-8); batch and summary take a list of them. Decisions are dicts as documented by schemas/decision.schema.json, every number in them a
decimal.Decimal, never a float. Errors raise RulebookError subclasses whose message is what the
command line prints (file:line:col or the JSON path); `errors` lists them one by one.
A Pack is immutable and thread-safe; check, batch and summary release the GIL while they work.
"""

import collections.abc
import datetime
import decimal
import itertools
import json
import math

from . import _rulebook

__all__ = ["load", "merge", "summarize", "Pack", "RulebookError", "LoadError", "InputError", "__version__"]
__version__ = _rulebook.__version__


class RulebookError(Exception):
    """A problem rulebook reports. `errors`: one dict per problem, with `message`, `at`
    ("file:line:col", or "" when the problem has no place in a file) and `json_path`."""

    def __init__(self, problems):
        self.errors = [{"message": m, "at": at, "json_path": path} for m, at, path, _ in problems]
        super().__init__("".join(text for _, _, _, text in problems).rstrip("\n"))


class LoadError(RulebookError):
    """The pack could not be loaded: each problem at its file:line:col."""


class InputError(RulebookError):
    """The document is not well-formed JSON (`kind` "json", at line:col), or breaks the pack's
    schema (`kind` "input", at JSON paths)."""

    def __init__(self, kind, problems):
        self.kind = kind
        super().__init__(problems)


def load(pack_dir):
    """Loads, checks and compiles the pack in `pack_dir`; raises LoadError."""
    pack, problems = _rulebook.load(str(pack_dir))
    if pack is None:
        raise LoadError(problems)
    return Pack(pack)


def merge(summaries):
    """Adds up summaries (JSON text, as Pack.summary and `batch --summary --format json` write
    them, or as dicts: read with Decimal, their sums keep every digit) of parts of one corpus, as
    `rulebook batch --merge` does; returns the total's JSON."""
    return _rulebook.merge([_text(s, f"summary {i + 1}") for i, s in enumerate(summaries)])


_packs = {}


def summarize(pack_dir, lines, *, as_of, jobs=1):
    """The map stage of a distributed run (a Dask bag's map_partitions, Spark's mapPartitions):
    the summary JSON of one partition's JSON lines under the pack in `pack_dir`, loaded once per
    worker process. Blank lines are skipped. Returns a one-element list, for map_partitions."""
    pack = _packs.get(pack_dir)
    if pack is None:
        pack = _packs[pack_dir] = load(pack_dir)
    docs = (line for line in lines if line.strip())
    return [pack.summary(docs, as_of=as_of, jobs=jobs)]


def _decode(text):
    return json.loads(text, parse_float=decimal.Decimal, parse_int=decimal.Decimal)


def _encode(value, out):
    if isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif isinstance(value, (int, decimal.Decimal)):
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            raise ValueError(f"not a number a document can hold: {value}")
        out.append(str(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a number a document can hold: {value}")
        out.append(repr(value))  # the shortest text that reads back as this float
    elif isinstance(value, dict):
        out.append("{")
        for i, (k, v) in enumerate(value.items()):
            if not isinstance(k, str):
                raise TypeError(f"object keys must be strings, got {k!r}")
            out.append(", " if i else "")
            out.append(json.dumps(k, ensure_ascii=False) + ": ")
            _encode(v, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, v in enumerate(value):
            out.append(", " if i else "")
            _encode(v, out)
        out.append("]")
    elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        out.append('"' + value.isoformat() + '"')
    else:
        raise TypeError(f"cannot put a {type(value).__name__} in a document: {value!r}")


def _text(doc, name="-", line=1):
    """The JSON text of a document given as text (str or bytes) or as a dict. Bytes that are not
    UTF-8 raise InputError ("json", at the byte's line:col as the command line says it), not
    UnicodeDecodeError: `line` is the document's first line (its place in a batch). So does a
    lone surrogate in a str (json.loads makes one of "\\ud800"), as the bytes Python writes for it."""
    doc = _sendable(doc)
    if isinstance(doc, str):
        return doc
    try:
        return doc.decode("utf-8")
    except UnicodeDecodeError as e:
        start = doc.rfind(b"\n", 0, e.start) + 1
        row, col = line + doc.count(b"\n", 0, e.start), len(doc[start:e.start].decode("utf-8", "replace")) + 1
        at = f"{name}:{row}:{col}"
        message = f"malformed JSON: ill-formed UTF-8 byte 0x{doc[e.start]:02X}"
        raise InputError("json", [(message, at, "", f"{at}: error: {message}\n")]) from None


def _sendable(doc):
    """The text of a document as the engine takes it: a str that encodes as UTF-8, or bytes (given
    as bytes, or the bytes Python writes for a str's lone surrogate), which the engine refuses in
    their place when they are not UTF-8, never the binding's TypeError that lost a whole call."""
    if isinstance(doc, (bytes, bytearray, memoryview)):
        return bytes(doc)
    if not isinstance(doc, str):
        out = []
        _encode(doc, out)
        doc = "".join(out)
    try:
        doc.encode("utf-8")
        return doc
    except UnicodeEncodeError:
        return doc.encode("utf-8", "surrogatepass")


def _documents(docs, method):
    """An iterator over `docs`, many documents. One document given in their place (JSON text as
    str or bytes, or a dict) is refused: iterated, each of its characters, bytes or keys was
    counted as a document of its own."""
    if isinstance(docs, (str, bytes, bytearray, memoryview, collections.abc.Mapping)):
        raise TypeError(
            f"{method} expects a list of documents (dicts or JSON texts), not one {type(docs).__name__}: "
            f"give [doc], or decide one document with check"
        )
    return iter(docs)


def _day(as_of):
    if isinstance(as_of, datetime.date) and not isinstance(as_of, datetime.datetime):
        return as_of.isoformat()
    if isinstance(as_of, str):
        return as_of
    raise TypeError("as_of is the review date: a 'YYYY-MM-DD' string or a datetime.date")


class Pack:
    """A compiled rule pack. Immutable: share it between threads."""

    def __init__(self, impl):
        self._impl = impl
        self.info = impl.info()
        self.id, self.version = self.info["id"], self.info["version"]

    def __repr__(self):
        return f"<rulebook.Pack {self.id} {self.version}>"

    def check(self, doc, *, as_of, trace=True, numbers_as_strings=False, name="-"):
        """The decision on one document (a dict or JSON text) on the review date `as_of`, as a
        dict whose numbers are decimal.Decimal. Raises InputError when the document is not JSON
        or breaks the pack's schema."""
        kind, text, problems = self._impl.check(_text(doc, name), _day(as_of), name, trace, numbers_as_strings)
        if kind != "ok":
            raise InputError(kind, problems)
        return _decode(text)

    def check_json(self, doc, *, as_of, trace=True, numbers_as_strings=False, name="-"):
        """As check, but the decision's JSON text: with numbers_as_strings=True every number is a
        string ("500000.00"), for JavaScript clients whose numbers are binary doubles."""
        kind, text, problems = self._impl.check(_text(doc, name), _day(as_of), name, trace, numbers_as_strings)
        if kind != "ok":
            raise InputError(kind, problems)
        return text

    def batch(self, docs, *, as_of, jobs=0, trace=False, chunk=1024):
        """Decisions on many documents, in input order, evaluated on `jobs` threads (0: one per
        core) with the GIL released. Yields one dict per document: the decision, or for a document
        that cannot be evaluated {"outcome": "invalid", "errors": [...]} (the batch goes on)."""
        day = _day(as_of)
        it = _documents(docs, "batch")
        first = 1  # each document's line is its place in `docs`, whatever chunk carries it
        while True:
            texts, refused = [], {}
            for i, d in enumerate(itertools.islice(it, chunk)):
                try:
                    texts.append(_text(d, "-", first + i))
                except InputError as e:  # bytes that are not UTF-8: invalid in its place, the batch goes on
                    texts.append("")
                    refused[i] = e.errors
            if not texts:
                return
            decided = self._impl.batch(texts, day, jobs, trace, False, first)
            first += len(texts)
            for i, (text, problems) in enumerate(decided):
                if i in refused:
                    yield {"outcome": "invalid", "errors": refused[i]}
                elif text:
                    yield _decode(text)
                else:
                    yield {"outcome": "invalid", "errors": RulebookError(problems).errors}

    def summary(self, docs, *, as_of, jobs=0, chunk=65536):
        """Per rule, the count of each outcome and the exact sums of its outputs over `docs`, as
        JSON text: what `rulebook batch --summary --format json` writes, so that rulebook.merge
        (and `rulebook batch --merge`) add parts up."""
        day = _day(as_of)
        it = _documents(docs, "summary")
        total = ""
        while True:
            # Bytes that are not UTF-8 are one invalid record, as in batch --summary.
            texts = [_sendable(d) for d in itertools.islice(it, chunk)]
            if not texts and total:
                return total
            total = self._impl.summary(texts, day, jobs, total)
            if not texts:
                return total
