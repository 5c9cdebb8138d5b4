#!/usr/bin/env python3
"""rulebook serve, as clients see it: every route checked against schemas/openapi.json, errors
named, hostile clients cut off while others are served, concurrent answers equal to the CLI's,
a SIGKILL mid-load that loses and doubles no answered decision, atomic reloads, a clean stop.

usage: serve_test.py RULEBOOK SOURCE_DIR [PG_URL]   (standard library only)"""

import hashlib, http.client, json, os, random, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time

RB, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
PG_URL = sys.argv[3] if len(sys.argv) > 3 else ""
OPENAPI = json.load(open(os.path.join(SRC, "schemas/openapi.json")))
failures, passed = [], 0


def check(cond, what, detail=""):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL", what, str(detail)[:400], flush=True)


# ── A minimal JSON Schema checker: the keywords schemas/openapi.json uses ──
def resolve(ref):
    node = OPENAPI
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def validate(value, schema, path="$"):
    """The first violation as text, or None."""
    if "$ref" in schema:
        return validate(value, resolve(schema["$ref"]), path)
    t = schema.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        def is_type(x, ty):
            return {"object": isinstance(x, dict), "array": isinstance(x, list), "string": isinstance(x, str),
                    "integer": isinstance(x, int) and not isinstance(x, bool), "boolean": isinstance(x, bool),
                    "number": isinstance(x, (int, float)) and not isinstance(x, bool), "null": x is None}[ty]
        if not any(is_type(value, ty) for ty in types):
            return f"{path}: expected {t}, got {type(value).__name__}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{path}: {value!r} not in {schema['enum']}"
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        return f"{path}: {value!r} does not match {schema['pattern']}"
    if isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
        return f"{path}: longer than {schema['maxLength']}"
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        return f"{path}: below {schema['minimum']}"
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                return f"{path}: missing {k}"
        for k, sub in schema.get("properties", {}).items():
            if k in value:
                e = validate(value[k], sub, f"{path}.{k}")
                if e:
                    return e
    if isinstance(value, list) and "items" in schema:
        for i, x in enumerate(value):
            e = validate(x, schema["items"], f"{path}[{i}]")
            if e:
                return e
    return None


def template(path):
    """The OpenAPI path template a concrete path matches."""
    for p in OPENAPI["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), path.split("?")[0]):
            return p
    return None


def conforms(method, path, status, ctype, body):
    """The answer is what the OpenAPI document says this route answers with this status."""
    t = template(path)
    if t is None or method.lower() not in OPENAPI["paths"][t]:
        return f"{method} {path}: no such operation in the OpenAPI document"
    responses = OPENAPI["paths"][t][method.lower()]["responses"]
    if str(status) not in responses:
        return f"{method} {t}: status {status} is not documented"
    r = responses[str(status)]
    if "$ref" in r:
        r = resolve(r["$ref"])
    media = r.get("content", {})
    base = ctype.split(";")[0].strip()
    if base not in media:
        return f"{method} {t} {status}: content type {ctype} not documented ({list(media)})"
    if base.endswith("json"):
        try:
            value = json.loads(body)
        except ValueError as e:
            return f"{method} {t} {status}: not JSON: {e}"
        return validate(value, media[base]["schema"])
    return None


class Server:
    def __init__(self, packs, db, *args, cwd=None):
        self.out = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([RB, "serve", "--packs", packs, "--db", db, "--listen", "127.0.0.1:0", *args],
                                     cwd=cwd, stdout=subprocess.PIPE, stderr=self.out)
        line = self.proc.stdout.readline().decode()
        m = re.search(r":(\d+)\s*$", line)
        if not m:
            self.proc.wait(10)
            self.out.seek(0)
            raise RuntimeError("the server did not start: " + self.out.read().decode()[-2000:])
        self.port = int(m.group(1))

    def stderr(self):
        self.out.seek(0)
        return self.out.read().decode(errors="replace")

    def request(self, method, path, body=None, headers=None, timeout=30):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def cli_decision(pack_dir, as_of, text, cwd, record_db=None):
    extra = ["--record", "--db", record_db] if record_db else []
    r = subprocess.run([RB, "check", "--pack", pack_dir, "--as-of", as_of, "--format", "json", *extra, "-"],
                       input=text, cwd=cwd, capture_output=True)
    return r.returncode, r.stdout


def ledger_ids(db, cwd):
    r = subprocess.run([RB, "ledger", "export", "--format", "jsonl", "--db", db], cwd=cwd, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode())
    return [json.loads(line)["id"] for line in r.stdout.decode().splitlines()]


def main():
    work = tempfile.mkdtemp(prefix="rulebook-serve-test-")
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"serve: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


def run(work):
    # A copy of rules/, schemas/ and examples/: reloads may break a pack without touching the tree,
    # and the CLI and the server read the very same files by the same relative paths.
    for d in ("rules", "schemas", "examples"):
        shutil.copytree(os.path.join(SRC, d), os.path.join(work, d))
    only = os.environ.get("RULEBOOK_SERVE_TEST_PACKS")  # while a pack is being edited elsewhere
    if only:
        for p in os.listdir(os.path.join(work, "rules")):
            if p not in only.split(","):
                shutil.rmtree(os.path.join(work, "rules", p))
    packs = sorted(p for p in os.listdir(os.path.join(work, "rules")) if os.path.exists(os.path.join(work, "rules", p, "pack.yaml")))
    examples = []
    for p in packs:
        folder = os.path.join(work, "examples", p)
        for f in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if f.endswith(".json"):
                examples.append((p, open(os.path.join(folder, f), "rb").read()))
    check(len(examples) >= 10, "enough examples to exercise the packs", len(examples))
    as_of = "2025-06-30"
    # What the CLI answers for each example: the reference every answer is compared with.
    expected = {}
    for p, text in examples:
        code, out = cli_decision(f"rules/{p}", as_of, text, work)
        expected[(p, text)] = (code, out)
    # Packs whose rules read the ledger answer what `check --record` answers on a ledger that saw
    # the same decisions in the same order (routes() sends the examples in this order).
    figures = {p for p in packs if os.path.exists(os.path.join(work, "rules", p, "ledger", "figures.yaml"))}
    recorded = {}
    cli_db = "sqlite:" + os.path.join(work, "cli-ledger.db")
    for p, text in examples:
        if p in figures:
            recorded[(p, text)] = cli_decision(f"rules/{p}", as_of, text, work, cli_db)
    plain = [(p, t) for p, t in examples if p not in figures]

    db = "sqlite:" + os.path.join(work, "ledger.db")
    s = Server("rules", db, "--max-body", "65536", "--max-batch", "5", "--request-timeout", "1.5", cwd=work)
    try:
        routes(s, packs, examples, {**expected, **recorded}, as_of)
        if "dongsheng-2024" in packs:
            desk_routes(s, work, as_of)
        errors(s)
        if "dongsheng-2024" in packs:
            form_bodies(s)
            identity_nul(s)
            unreadable_requests(s)
            batch_bom_and_limit(s)
            cross_origin(s)
            error_languages(s)
        hostile(s, examples)
        concurrent(s, plain, expected, as_of, db, work, clients=8, seconds=3)
    finally:
        check(s.stop() == 0, "SIGTERM stops the server cleanly (exit 0)", s.stderr()[-500:])
    check("stopped" in s.stderr(), "the server says it stopped")
    overload(work)
    reload(work)
    if "dongsheng-2024" in packs:
        ledger_rules(work, "sqlite:" + os.path.join(work, "rules.db"))
    kill_mid_load(work, "sqlite:" + os.path.join(work, "kill.db"), examples)
    if PG_URL:
        # A password among the URL's parameters (trust authentication ignores it) is never shown.
        s = Server("rules", PG_URL + "&password=pg-Secret-42", cwd=work)
        try:
            st, _, b = s.request("GET", "/health")
            check(st == 200 and b"pg-Secret-42" not in b and b"password=***" in b,
                  "GET /health shows the PostgreSQL URL without its password", b[:300])
            concurrent(s, plain, expected, as_of, PG_URL, work, clients=8, seconds=2)
        finally:
            check(s.stop() == 0, "SIGTERM stops the PostgreSQL-backed server cleanly")
        check("pg-Secret-42" not in s.stderr(), "nor does the server's log", s.stderr()[-300:])
        if "dongsheng-2024" in packs:
            ledger_rules(work, PG_URL)
        kill_mid_load(work, PG_URL, examples)
    elif os.environ.get("CI") == "true":
        check(False, "CI=true requires the PostgreSQL serve tests (no PG_URL)")
    api_reference()


def routes(s, packs, examples, expected, as_of):
    for path in ["/health", "/packs", "/schemas", "/metrics"] + [f"/packs/{p}" for p in packs] + \
            [f"/packs/{p}/rules" for p in packs]:
        st, h, body = s.request("GET", path)
        check(st == 200, f"GET {path} answers 200", (st, body[:300]))
        e = conforms("GET", path, st, h.get("Content-Type", ""), body)
        check(e is None, f"GET {path} conforms to the OpenAPI document", e)
    read_paths(s, packs, examples, as_of)
    st, h, body = s.request("GET", "/packs/dongsheng-2024/rules")
    rules = json.loads(body)["rules"]
    ds01 = [r for r in rules if r["id"] == "DS-01"]
    check(ds01 and "50万" in ds01[0]["quote"] and ds01[0]["title"]["zh"] and ds01[0]["clause"],
          "DS-01 is listed with its title, clause and quote", ds01)
    st, h, body = s.request("GET", "/schemas")
    names = [x["name"] for x in json.loads(body)["schemas"]]
    check("subsidy-application.schema.json" in names, "the subject schemas and their references are listed", names)
    st, h, body = s.request("GET", "/schemas/subsidy-application.schema.json")
    check(st == 200 and json.loads(body)["$defs"]["applicant"], "a schema file is served as stored")
    e = conforms("GET", "/schemas/x", st, h.get("Content-Type", ""), body)
    check(e is None, "GET /schemas/{name} conforms", e)
    # Every example: the service's answer is the CLI's, byte for byte (or refused alike).
    same = 0
    for p, text in examples:
        st, h, body = s.request("POST", f"/packs/{p}/check?as_of={as_of}", text, {"X-Reviewer": "测试员".encode()})
        code, out = expected[(p, text)]
        if code == 2 and not out:
            check(st in (400, 422), f"{p}: an input the CLI refuses is refused", (st, body[:200]))
            continue
        check(st == 200 and body == out, f"{p}: the answer equals rulebook check --format json", (st, body[:200], out[:200]))
        e = conforms("POST", f"/packs/{p}/check", st, h.get("Content-Type", ""), body)
        check(e is None, f"POST /packs/{p}/check conforms", e)
        check(re.fullmatch(r"[0-9a-f-]{36}", h.get("X-Decision-Id", "")), "the answer names its ledger record", h)
        same += 1
    check(same >= 5, "several examples decided", same)
    # Batch: JSON Lines with one bad line; a JSON array.
    p, text = next((p, t) for p, t in examples if expected[(p, t)][0] in (0, 1))
    one = json.dumps(json.loads(text), ensure_ascii=False)
    lines = "\n".join([one, "{bad", one]).encode()
    st, h, body = s.request("POST", f"/packs/{p}/batch?as_of={as_of}", lines)
    check(st == 200, "a batch with a bad line is answered", (st, body[:300]))
    e = conforms("POST", f"/packs/{p}/batch", st, h.get("Content-Type", ""), body)
    check(e is None, "POST /packs/{id}/batch conforms", e)
    b = json.loads(body)
    check(b["count"] == 3 and b["decided"] == 2 and b["invalid"] == 1, "batch counts", b.get("count"))
    bad = b["results"][1]
    check(bad["status"] == 400 and bad["line"] == 2 and bad["error"]["code"] == "malformed_json" and bad["error"]["column"],
          "the bad line is named with its line and column", bad)
    single = json.loads(expected[(p, text)][1])
    check(b["results"][0]["decision"] == single, "a batch decision equals the single decision")
    st, h, body = s.request("POST", f"/packs/{p}/batch?as_of={as_of}", b"[" + one.encode() + b", " + one.encode() + b"]")
    check(st == 200 and json.loads(body)["decided"] == 2, "a JSON array batch", (st, body[:200]))
    st, h, body = s.request("GET", "/metrics")
    text = body.decode()
    for name in ("rulebook_http_requests_total", "rulebook_http_request_duration_seconds_bucket",
                 "rulebook_decisions_total", "rulebook_errors_total", "rulebook_ledger_records_total"):
        check(name in text, f"metrics include {name}")
    check(re.search(r'rulebook_errors_total\{code="malformed_json"\} [1-9]', text), "errors are counted by code")


def multipart(parts):
    """A multipart/form-data body of (name, file name, bytes), and its Content-Type."""
    boundary = "rulebook-test-boundary-7d1f"
    body = b""
    for name, filename, data in parts:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def desk_routes(s, work, as_of):
    """The review desk's routes: the page, the report, previews, sheets, the ledger's search."""
    def conform(method, path, st, h, body, what):
        e = conforms(method, path, st, h.get("Content-Type", ""), body)
        check(e is None, f"{what} conforms to the OpenAPI document", e)
    for path in ["/", "/desk/index.html", "/desk/desk.js", "/desk/desk.css"]:
        st, h, body = s.request("GET", path)
        check(st == 200 and "default-src 'self'" in h.get("Content-Security-Policy", ""), f"GET {path}: the desk, confined", (st, h))
        conform("GET", path, st, h, body, f"GET {path}")
    st, h, body = s.request("GET", "/desk/nope.js")
    check(st == 404 and json.loads(body)["error"]["code"] == "not_found", "an unknown desk file is a JSON 404", (st, body[:200]))
    # multi.json from a unit the ledger has not seen (routes() recorded the example's own unit).
    doc = json.loads(open(os.path.join(work, "examples/dongsheng-2024/multi.json"), "rb").read())
    doc["applicant"]["credit_code"] = "91150602MADEK0001Q"
    text = json.dumps(doc, ensure_ascii=False).encode()
    # The report is check --format html on a ledger in the same state, byte for byte; a preview records nothing.
    want = subprocess.run([RB, "check", "--pack", "rules/dongsheng-2024", "--as-of", as_of, "--format", "html", "--record",
                           "--db", "sqlite:" + os.path.join(work, "desk-cli.db"), "--reviewer", "张审", "-"],
                          input=text, cwd=work, capture_output=True).stdout
    for lang in ("zh", "en"):
        st, h, body = s.request("POST", f"/packs/dongsheng-2024/report?as_of={as_of}&dry_run=true&lang={lang}", text)
        conform("POST", "/packs/dongsheng-2024/report", st, h, body, f"POST report ({lang})")
        check(st == 200 and "X-Decision-Id" not in h and h.get("X-Outcome") == "pass", f"a {lang} report preview", (st, h))
        check(("审查人签字" if lang == "zh" else "reviewer&#39;s signature") in body.decode() and "238,271.61" in body.decode(),
              f"the {lang} report holds the amounts and the lines to sign", body[:300])
    st, h, body = s.request("POST", f"/packs/dongsheng-2024/report?as_of={as_of}&dry_run=true&reviewer=%E5%BC%A0%E5%AE%A1", text)
    check(body == want, "the report equals rulebook check --format html", (body[:200], want[:200]))
    before = json.loads(s.request("GET", "/ledger?limit=1000")[2])["count"]
    st, h, body = s.request("POST", f"/packs/dongsheng-2024/check?as_of={as_of}&dry_run=true", text)
    check(st == 200 and "X-Decision-Id" not in h, "a check preview names no record", h)
    st, h, body = s.request("POST", f"/packs/dongsheng-2024/batch?as_of={as_of}&dry_run=1", b"[" + text + b"]")
    check(st == 200 and json.loads(body)["results"][0]["decision_id"] is None, "a batch preview records nothing", body[:200])
    check(json.loads(s.request("GET", "/ledger?limit=1000")[2])["count"] == before, "previews leave the ledger as it was")
    # Saved through the report route, under a reviewer named in the query (UTF-8, as a browser sends it).
    st, h, body = s.request("POST", f"/packs/dongsheng-2024/report?as_of={as_of}&reviewer=%E5%BC%A0%E5%AE%A1", text)
    rid = h.get("X-Decision-Id", "")
    check(st == 200 and re.fullmatch(r"[0-9a-f-]{36}", rid) and "张审" in body.decode(), "a saved report names its record and reviewer", h)
    # The ledger, searched by part of a name, by credit code; one record opened.
    st, h, body = s.request("GET", "/ledger?q=%E7%A7%91%E5%88%9B")  # 科创
    conform("GET", "/ledger", st, h, body, "GET /ledger")
    found = json.loads(body)["records"] if st == 200 else []
    check(found and found[0]["id"] == rid and found[0]["reviewer"] == "张审", "the ledger is searched by part of the applicant's name",
          body[:300])
    st, h, body = s.request("GET", "/ledger?q=91150602madek0001q")
    check(st == 200 and [r["id"] for r in json.loads(body)["records"]] == [rid], "by credit code (any case)", body[:300])
    st, h, body = s.request("GET", "/ledger?q=52150602MJ0000123G&limit=1")
    check(st == 200 and len(json.loads(body)["records"]) == 1 and json.loads(body)["count"] > 1, "within the limit, counting all",
          body[:300])
    st, h, body = s.request("GET", f"/ledger/{rid}")
    conform("GET", "/ledger/{decision_id}", st, h, body, "GET /ledger/{id}")
    check(st == 200 and json.loads(body)["decision"]["outcome"] == "pass" and json.loads(body)["reviewer"] == "张审",
          "a ledger record with its decision", body[:300])
    # A sheet upload: the grouped xlsx and its mapping, as documents; a repeated transaction named.
    sheets = os.path.join(SRC, "tests/data/sheets")
    form, ctype = multipart([("file", "grouped.xlsx", open(os.path.join(sheets, "grouped.xlsx"), "rb").read()),
                             ("mapping", "grouped.mapping.yaml", open(os.path.join(sheets, "grouped.mapping.yaml"), "rb").read())])
    st, h, body = s.request("POST", "/packs/dongsheng-2024/sheet", form, {"Content-Type": ctype})
    conform("POST", "/packs/dongsheng-2024/sheet", st, h, body, "POST /packs/{id}/sheet")
    up = json.loads(body) if st == 200 else {"documents": []}
    docs = {d["id"]: d for d in up["documents"]}
    check(docs.get("A-1", {}).get("document", {}) and len(docs["A-1"]["document"]["transactions"]) == 2,
          "the sheet's rows are grouped into applications", body[:400])
    check(docs.get("A-3") and docs["A-3"]["document"] is None and docs["A-3"]["errors"], "a repeated transaction is reported", body[:600])
    check(b"3000000" in body, "amounts keep their digits", body[:300])


def errors(s):
    def err(method, route, body, status, code, **want):
        st, h, b = s.request(method, route, body)
        try:
            e = json.loads(b)["error"]
        except (ValueError, KeyError, TypeError):
            e = {}
        check(st == status and e.get("code") == code, f"{method} {route} → {status} {code}", (st, b[:300]))
        for k, v in want.items():
            check(e.get(k) == v, f"{code}: {k} is {v!r}", e)
        c = conforms(method, route, st, h.get("Content-Type", ""), b)
        check(c is None, f"{code} conforms to the OpenAPI document", c)
        return e
    err("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30", b'{\n  "applicant": {\n    "type": tru\n}', 400,
        "malformed_json", line=3)
    err("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30", b'{"applicant": {"type": 5}}', 422,
        "schema_violation", path="$.applicant.type")
    err("POST", "/packs/no-such-pack/check", b"{}", 404, "unknown_pack")
    err("GET", "/packs/no-such-pack", None, 404, "unknown_pack")
    err("POST", "/packs/dongsheng-2024/check?as_of=2025-13-45", b"{}", 400, "bad_as_of")
    err("POST", "/packs/dongsheng-2024/check", b" " * 70000 + b"{}", 413, "body_too_large")
    err("POST", "/packs/dongsheng-2024/batch", b"{}\n" * 6, 413, "batch_too_long")
    err("POST", "/packs/dongsheng-2024/batch", b"[{}, {}, {}, {}, {}, {}]", 413, "batch_too_long")
    err("POST", "/packs/dongsheng-2024/batch", b"[{}, {]", 400, "malformed_json", line=1, column=7)
    err("POST", "/packs/dongsheng-2024/batch", b"  \n ", 400, "empty_batch")
    err("POST", "/packs/dongsheng-2024/check", b"[" * 300 + b"]" * 300, 400, "too_deep")
    err("GET", "/schemas/nope.json", None, 404, "unknown_schema")
    err("POST", "/packs/dongsheng-2024/report?lang=fr", b"{}", 400, "bad_lang")
    err("POST", "/packs/dongsheng-2024/check?dry_run=maybe", b"{}", 400, "bad_parameter")
    err("POST", "/packs/dongsheng-2024/report?as_of=2025-06-30", b'{"applicant": {"type": 5}}', 422,
        "schema_violation", path="$.applicant.type")
    err("POST", "/packs/dongsheng-2024/sheet", b"{}", 400, "bad_upload")
    form, ctype = multipart([("file", "a.xlsx", b"PK\x03\x04 not a workbook"), ("mapping", "m.yaml", b"columns: {}\n")])
    st, h, b = s.request("POST", "/packs/dongsheng-2024/sheet", form, {"Content-Type": ctype})
    check(st == 422 and json.loads(b)["error"]["code"] == "bad_sheet" and "a.xlsx" in json.loads(b)["error"]["message"]
          and "/tmp" not in b.decode(), "a broken workbook is 422 bad_sheet, named as uploaded", b[:300])
    err("GET", "/ledger/no-such-record", None, 404, "unknown_record")
    err("GET", "/ledger?limit=0", None, 400, "bad_parameter")
    st, h, b = s.request("GET", "/no/such/route")
    check(st == 404 and json.loads(b)["error"]["code"] == "not_found", "an unknown route is a JSON 404", b)
    # Binary garbage and invalid UTF-8 get an error, never a crash.
    for junk in (bytes(range(256)), b'{"a": "\xff\xfe"}', b"\x00" * 100, b'{"a": 1e999999}'):
        st, h, b = s.request("POST", "/packs/dongsheng-2024/check", junk)
        check(400 <= st < 500 and json.loads(b)["error"]["message"], "junk is a 4xx with a message", (st, b[:200]))
    st, _, _ = s.request("GET", "/health")
    check(st == 200, "the server is still healthy after junk")


def form_bodies(s):
    """A document sent as a form (curl -d's and --data-binary's Content-Type) is the document: its
    text never becomes the request's parameters, and it is held to --max-body, not to 8 KiB."""
    form = {"Content-Type": "application/x-www-form-urlencoded", "X-Reviewer": "王审".encode()}
    doc = {"id": "FORM-1", "applicant": {"name": "某服务中心&dry_run=true&as_of=2024-01-02&reviewer=nobody&name=x&",
                                         "type": "patent_service_agency", "credit_code": "91150602MA0N00001R",
                                         "subsidies_received": 0},
           "transactions": [{"id": "T1", "concluded": True, "contract": {"number": "FORM-HT-1", "amount": 1000000,
                             "signed_on": "2024-05-01", "tripartite": True}, "transformation": {"succeeded": True}}]}
    body = json.dumps(doc, ensure_ascii=False).encode()
    st, h, b = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30", body, form)
    check(st == 200 and h.get("X-Decision-Id"), "a form-typed document with '&dry_run=true&' in its text is recorded",
          (st, h, b[:300]))
    if st == 200:
        d = json.loads(b)
        check(d["as_of"] == "2025-06-30" and d["document"] == "-",
              "the document's text sets neither as_of nor name", (d["as_of"], d["document"]))
        st, _, rb = s.request("GET", "/ledger/" + h.get("X-Decision-Id", "none"))
        check(st == 200 and json.loads(rb)["reviewer"] == "王审", "nor the reviewer recorded", rb[:300])
    doc["id"], doc["applicant"]["name"] = "FORM-2", "某" * 4000  # 12 KB: over cpp-httplib's form limit
    st, h, b = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30&dry_run=true",
                         json.dumps(doc, ensure_ascii=False).encode(), form)
    check(st == 200, "a form-typed document of 12 KB is decided (--max-body is 64 KiB)", (st, b[:300]))
    for reviewer in ("%FF%FE", "a%00b", "a%0Ab"):
        st, h, b = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30&reviewer=" + reviewer, body,
                             {"Content-Type": "application/json"})
        check(st == 400 and json.loads(b)["error"]["code"] == "bad_reviewer",
              f"reviewer={reviewer} (not UTF-8 text) is 400 bad_reviewer, never recorded", (st, b[:300]))


def identity_nul(s):
    """PostgreSQL cuts a text at U+0000: applications "NUL\\u0000A" and "NUL\\u0000B" were one there (the
    second superseded the first and its grant left the unit's figures). Refused by every store alike."""
    def doc(app_id, name="某服务中心"):
        return {"id": app_id, "applicant": {"name": name, "type": "patent_service_agency",
                "credit_code": "91150602MA0N00002W", "subsidies_received": 0},
                "transactions": [{"id": "T1", "concluded": True, "contract": {"number": "NUL-HT-1", "amount": 1000000,
                                  "signed_on": "2024-05-01", "tripartite": True}, "transformation": {"succeeded": True}}]}
    for d, path in ((doc("NUL\u0000A"), "$.id"), (doc("NUL-B", "某\u0000中心"), "$.applicant.name")):
        st, h, b = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30", json.dumps(d).encode(),
                             {"Content-Type": "application/json"})
        e = json.loads(b).get("error", {}) if st != 200 else {}
        check(st == 422 and e.get("code") == "schema_violation" and e.get("path") == path and not h.get("X-Decision-Id"),
              f"a U+0000 in {path} is 422 schema_violation naming it, nothing recorded", (st, b[:300]))
    body = json.dumps([doc("NUL-C"), doc("NUL\u0000D")]).encode()
    st, h, b = s.request("POST", "/packs/dongsheng-2024/batch?as_of=2025-06-30&dry_run=true", body,
                         {"Content-Type": "application/json"})
    r = json.loads(b)["results"] if st == 200 else []
    check(st == 200 and r[0]["status"] == 200 and r[1]["status"] == 422 and r[1]["error"]["path"] == "$.id",
          "in a batch, the item with a U+0000 in its id is refused in its place, the others decided", (st, b[:400]))


def unreadable_requests(s):
    """After a request that cannot be read, the connection ends: what follows (the headers after a
    refused request line, a body) is no request, though it was served as one."""
    inner = (b"GET /packs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    for what, status, data in (
            ("the lines after a refused request line", b"400", b"BREW /x HTTP/1.1\r\n" + inner),
            ("the body of a request with a refused method", b"400",
             b"BREW /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(inner) + inner),
            # cpp-httplib leaves a GET's body unread (helper-72): it was the next request.
            ("the body of a GET", b"200",
             b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(inner) + inner)):
        c = raw(s.port, data)
        out = b""
        try:
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                out += chunk
        except OSError:
            pass
        c.close()
        check(out.startswith(b"HTTP/1.1 " + status) and out.count(b"HTTP/1.1 ") == 1,
              f"{what} are not served as a request", out[:600])


def batch_bom_and_limit(s):
    """A batch behind a byte-order mark is read as check reads one; limit is 1…1000 as documented."""
    doc = {"id": "BOM-1", "applicant": {"name": "某服务中心", "type": "patent_service_agency",
           "credit_code": "91150602MA0N000030", "subsidies_received": 0},
           "transactions": [{"id": "T1", "concluded": True, "contract": {"number": "BOM-HT-1", "amount": 1000000,
                             "signed_on": "2024-05-01", "tripartite": True}, "transformation": {"succeeded": True}}]}
    body = b"\xef\xbb\xbf" + json.dumps([doc, dict(doc, id="BOM-2")], ensure_ascii=False, indent=1).encode()
    st, _, b = s.request("POST", "/packs/dongsheng-2024/batch?as_of=2025-06-30&dry_run=true", body,
                         {"Content-Type": "application/json"})
    j = json.loads(b) if st == 200 else {}
    check(st == 200 and j.get("count") == 2 and j.get("decided") == 2,
          "a JSON array behind a byte-order mark is a batch of its documents", b[:300])
    st, _, b = s.request("GET", "/ledger?limit=1001")
    check(st == 400 and json.loads(b)["error"]["code"] == "bad_parameter", "limit=1001 is 400 bad_parameter", b[:200])


def cross_origin(s):
    """A page of another origin cannot act through a reviewer's browser: a text/plain POST needs no
    preflight, and the browser on this machine passes the loopback-only checks."""
    st, _, b = s.request("GET", "/packs/dongsheng-2024/files/pack.yaml")
    text = json.loads(b)["text"]
    evil = {"Content-Type": "text/plain;charset=UTF-8", "Origin": "http://evil.example"}
    st, h, b = s.request("POST", "/packs/dongsheng-2024/files/pack.yaml",
                         json.dumps({"text": text, "save": True}).encode(), evil)
    check(st == 403 and json.loads(b)["error"]["code"] == "forbidden",
          "a page of another origin cannot save a rule file", (st, b[:200]))
    st, h, b = s.request("POST", "/admin/reload", b"", evil)
    check(st == 403, "nor reload the packs", (st, b[:200]))
    doc = json.dumps({"applicant": {"type": "patent_service_agency"}}).encode()
    st, h, b = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30&reviewer=x", doc, evil)
    check(st == 403 and not h.get("X-Decision-Id"), "nor record a decision", (st, b[:200]))
    # DNS rebinding: a page of evil.example, its name resolved to 127.0.0.1, is same-origin with
    # itself; the Host it sends names its own domain, which a service on the loopback refuses.
    rebound = {"Host": f"evil.example:{s.port}", "Origin": f"http://evil.example:{s.port}"}
    st, h, b = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30&reviewer=x", doc, rebound)
    check(st == 403 and json.loads(b)["error"]["code"] == "forbidden" and not h.get("X-Decision-Id"),
          "a page whose name was rebound to the loopback cannot record a decision", (st, b[:200]))
    st, h, b = s.request("GET", "/ledger", None, {"Host": "evil.example"})
    check(st == 403, "nor read the ledger", (st, b[:200]))
    # Behind the README's nginx, every client connects from the loopback: what the proxy forwards
    # is not the operator's, whatever its Host (nginx keeps 127.0.0.1:port) and with no Origin.
    for fwd in ({"X-Forwarded-Host": "review.example.gov.cn"}, {"x-forwarded-for": "203.0.113.7"},
                {"Forwarded": "for=203.0.113.7"}, {"X-Real-IP": "203.0.113.7"}, {"Via": "1.1 proxy"},
                {"X-Forwarded-Proto": "https"}, {"X-Client-IP": "203.0.113.7"}):
        st, h, b = s.request("POST", "/packs/dongsheng-2024/files/pack.yaml",
                             json.dumps({"text": text, "save": True}).encode(),
                             dict(fwd, **{"Content-Type": "application/json"}))
        check(st == 403 and json.loads(b)["error"]["code"] == "forbidden",
              f"a request forwarded by a proxy ({next(iter(fwd))}) cannot save a rule file", (st, b[:200]))
        st, h, b = s.request("POST", "/packs/dongsheng-2024/files/pack.yaml?lang=zh",
                             json.dumps({"text": text, "save": True}).encode(),
                             dict(fwd, **{"Content-Type": "application/json"}))
        check(st == 403 and "本机" in json.loads(b)["error"]["message"], "and is told so in Chinese", (st, b[:200]))
        st, h, b = s.request("POST", "/admin/reload", b"", fwd)
        check(st == 403, f"nor reload the packs ({next(iter(fwd))})", (st, b[:200]))
    for host in (f"localhost:{s.port}", f"127.0.0.1:{s.port}", "LOCALHOST", "localhost.", f"[::1]:{s.port}", "127.1.2.3"):
        st, h, b = s.request("GET", "/health", None, {"Host": host})
        check(st == 200, f"Host {host} is answered", (st, b[:200]))
    # Names an attacker may point at 127.0.0.1 are names, not loopback addresses (helper-72).
    for host in ("127.0.0.1.evil.example", "127.evil.example", "localhost:1@evil", "[::1]evil.example", "[::1",
                 "127.0.0.256", "127.0.0", "localhost.evil"):
        st, h, b = s.request("GET", "/ledger", None, {"Host": host})
        check(st == 403, f"Host {host!r} is refused", (st, b[:200]))
    own = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{s.port}"}
    st, h, b = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30&dry_run=true", doc, own)
    check(st == 200, "the desk's own requests (Origin: this service) are answered", (st, b[:200]))


def error_languages(s):
    """Errors in the request's language (?lang=, as the desk sends it): a CSV with a stray quote, a
    schema violation and a batch item, in Chinese with lang=zh (fields named by their labels) and in
    English with lang=en or without lang; every answer still conforms to the OpenAPI document."""
    def answer(method, route, body, headers=None):
        st, h, b = s.request(method, route, body, headers)
        c = conforms(method, route.split("?")[0], st, h.get("Content-Type", ""), b)
        check(c is None, f"{method} {route} conforms to the OpenAPI document", c)
        return st, json.loads(b)
    sheet = "申请编号,单位名称,单位类型\nA-1,\"智汇\"公司,patent_service_agency\n".encode()
    mapping = "columns:\n  申请编号: id\n  单位名称: applicant.name\n  单位类型: applicant.type\n".encode()
    form, ctype = multipart([("file", "stray.csv", sheet), ("mapping", "m.yaml", mapping)])
    for lang, want in (("zh", "「单位名称」列：右引号之后还有文字"), ("en", "column '单位名称': text after the closing quote")):
        # The row is its application's error (the sheet's other applications are still read).
        st, e = answer("POST", f"/packs/dongsheng-2024/sheet?lang={lang}", form, {"Content-Type": ctype})
        docs = e.get("documents") or [{}]
        m = (docs[0].get("errors") or [{}])[0].get("message", "")
        check(st == 200 and docs[0].get("document") is None and want in m and "stray.csv:2:1" in m,
              f"a stray quote in a CSV upload is told in {lang}", e)
    bad = '{"applicant": {"type": 5}}'.encode()
    for lang, want in (("zh", "应为文本，实际为数字 5"), ("en", "expected string, got number 5"), ("", "expected string")):
        q = f"&lang={lang}" if lang else ""
        st, e = answer("POST", f"/packs/dongsheng-2024/check?as_of=2025-06-30{q}", bad)
        e = e.get("error", {})
        problems = [p["message"] for p in e.get("problems", [])]
        check(st == 422 and e.get("path") == "$.applicant.type" and want in e.get("message", "")
              and any(want in p for p in problems), f"a schema violation is told in {lang or 'English by default'}", e)
        if lang == "zh":
            check("$.applicant" not in e["message"] and "「" in e["message"], "the Chinese names the field by its label", e)
    st, r = answer("POST", "/packs/dongsheng-2024/batch?as_of=2025-06-30&dry_run=true&lang=zh", b'[{"applicant": {"type": 5}}]')
    item = (r.get("results") or [{}])[0].get("error", {})
    check(st == 200 and "应为文本" in item.get("message", ""), "a batch item's error is told in Chinese", r)
    st, e = answer("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30&lang=zh", b'{"applicant": {"type": tru}}')
    check(st == 400 and e.get("error", {}).get("message", "").startswith("JSON 格式有误"), "malformed JSON is told in Chinese", e)
    # The service's own errors have their Chinese wording too; code and path stay as they are.
    for method, route, body, code, want in (
            ("POST", "/packs/no-such-pack/check?lang=zh", b"{}", "unknown_pack", "没有规则包「no-such-pack」"),
            ("POST", "/packs/dongsheng-2024/check?as_of=2025-13-45&lang=zh", b"{}", "bad_as_of", "评估日期应为 YYYY-MM-DD"),
            ("POST", "/packs/dongsheng-2024/sheet?lang=zh", b"{}", "bad_upload", "请以 multipart/form-data 上传"),
            ("GET", "/ledger/no-such-record?lang=zh", None, "unknown_record", "台账中没有记录"),
            ("POST", "/packs/dongsheng-2024/batch?lang=zh", b"  \n ", "empty_batch", "没有申报材料")):
        st, e = answer(method, route, body)
        e = e.get("error", {})
        check(e.get("code") == code and want in e.get("message", ""), f"{code} is told in Chinese", e)
    st, e = answer("POST", "/packs/dongsheng-2024/batch?as_of=2025-06-30&lang=zh", b"[{}, {]")
    e = e.get("error", {})
    check(st == 400 and e.get("code") == "malformed_json" and e.get("message", "").startswith("JSON 格式有误")
          and (e.get("line"), e.get("column")) == (1, 7), "a malformed JSON upload is told in Chinese, with its place", e)
    st, h, b = s.request("GET", "/no/such/route?lang=zh")
    check(st == 404 and "没有该接口" in json.loads(b)["error"]["message"], "an unknown route is told in Chinese", b)
    # A sheet laid out as the template, with a header the template lacks: the template's advice
    # (its headers), not a mapping's (there is none to edit).
    st, h, b = s.request("GET", "/packs/dongsheng-2024/template?lang=zh")
    head = b.decode("utf-8-sig").splitlines()[0]
    form, ctype = multipart([("file", "filled.csv", (head + ",备注栏\n").encode())])
    for lang, want, first in (("zh", "请按模板填写列名：", head.split(",")[0]),
                              ("en", "head the columns as the template does (", head.split(",")[0])):
        st, e = answer("POST", f"/packs/dongsheng-2024/sheet?lang={lang}", form, {"Content-Type": ctype})
        m = e.get("error", {}).get("message", "")
        check(st == 422 and "备注栏" in m and want in m and first in m and "ignore:" not in m and "/tmp" not in m,
              f"an unknown header in a template sheet gets the template's advice in {lang}", m)
    # A column the template needs, misnamed: the upload is named as uploaded in both languages, never by its temporary copy.
    form, ctype = multipart([("file", "misnamed.csv", (head.replace("单位名称", "单位全称") + "\n").encode())])
    for lang in ("zh", "en"):
        st, e = answer("POST", f"/packs/dongsheng-2024/sheet?lang={lang}", form, {"Content-Type": ctype})
        said = json.dumps(e, ensure_ascii=False)
        check(st == 422 and "misnamed.csv" in said and "/tmp" not in said and "upload.csv" not in said,
              f"a misnamed template column names the upload as uploaded in {lang}", said)


def raw(port, data, close=False, timeout=10):
    c = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    c.sendall(data)
    if close:
        c.close()
        return None
    return c


def hostile(s, examples):
    p, text = examples[0]
    # A slow sender: headers, then a body dribbled far slower than the request deadline allows.
    slow = raw(s.port, b"POST /packs/%s/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n" % (p.encode(), len(text)))
    t0 = time.time()
    stop = threading.Event()
    cut = {}

    def dribble():
        try:
            for i in range(len(text)):
                if stop.is_set():
                    return
                slow.sendall(text[i:i + 1])
                time.sleep(0.3)
        except OSError:
            cut["at"] = time.time() - t0

    t = threading.Thread(target=dribble)
    t.start()
    # Meanwhile others are served, promptly.
    times = []
    for _ in range(10):
        a = time.time()
        st, _, _ = s.request("POST", f"/packs/{p}/check", text)
        times.append(time.time() - a)
        check(st in (200, 422), "served while a slow sender dribbles", st)
    check(max(times) < 1.0, "others wait for no slow sender", max(times))
    slow.settimeout(5)
    try:
        got = slow.recv(100)
    except OSError:
        got = b""
    check(got == b"" or b"HTTP/1.1" not in got or b" 200 " not in got, "the slow sender gets no decision", got)
    check(time.time() - t0 < 5, "the slow sender is cut off near the request deadline", time.time() - t0)
    stop.set()
    t.join()
    slow.close()
    # A client that disconnects mid-body, many times over.
    for _ in range(20):
        raw(s.port, b"POST /packs/%s/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{\"app" % p.encode(), close=True)
        raw(s.port, b"GET /hea", close=True)
    st, _, _ = s.request("GET", "/health")
    check(st == 200, "healthy after clients vanished mid-request")
    # A body announced over the limit is refused at once and left unread, not after the request's
    # time has run out waiting for it (it was 408 after 10 s); an announced length past 2^64 too.
    for length in (b"99999999", b"99999999999999999999999"):
        c = raw(s.port, b"POST /packs/%s/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: %s\r\n\r\n{" %
                (p.encode(), length))
        t0 = time.time()
        c.settimeout(6)
        got = b""
        try:
            while chunk := c.recv(65536):
                got += chunk
        except OSError:
            pass
        c.close()
        check(got.startswith(b"HTTP/1.1 413 ") and b"body_too_large" in got and time.time() - t0 < 2,
              f"a body announced as {length.decode()} bytes is refused 413 at once", (time.time() - t0, got[:300]))
    # A POST with neither Content-Length nor Transfer-Encoding has no body (curl -X POST): answered
    # at once, not after waiting for a body until the request's time ran out.
    c = raw(s.port, b"POST /admin/reload HTTP/1.1\r\nHost: localhost\r\n\r\n")
    t0 = time.time()
    c.settimeout(6)
    try:
        got = c.recv(65536)
    except OSError:
        got = b""
    c.close()
    check(got.startswith(b"HTTP/1.1 200 ") and time.time() - t0 < 2, "a POST without a body is answered at once",
          (time.time() - t0, got[:200]))
    # Headers that never end are cut off as well.
    c = raw(s.port, b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
    t0 = time.time()
    c.settimeout(6)
    try:
        while c.recv(1000):
            pass
    except OSError:
        pass
    check(time.time() - t0 < 4, "unfinished headers are cut off", time.time() - t0)
    c.close()


def overload(work):
    # One worker, no queue: while a slow client holds the worker, the next connection gets 503 at once.
    s = Server("rules", "sqlite:" + os.path.join(work, "overload.db"), "--threads", "1", "--queue", "0",
               "--request-timeout", "3", cwd=work)
    try:
        hold = raw(s.port, b"POST /packs/common/check HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n{")
        time.sleep(0.3)
        a = time.time()
        st, h, b = s.request("GET", "/health")
        check(st == 503 and json.loads(b)["error"]["code"] == "overloaded" and time.time() - a < 1,
              "a full queue answers 503 overloaded at once", (st, b[:200]))
        hold.close()
        time.sleep(0.5)
        st, _, _ = s.request("GET", "/health")
        check(st == 200, "served again once the worker is free", st)
        time.sleep(0.2)
        # With no queue, a worker still closing its last connection is busy: ask until one is free.
        for _ in range(20):
            st, _, b = s.request("GET", "/metrics")
            if st == 200:
                break
            time.sleep(0.1)
        check(re.search(rb"rulebook_connections_rejected_total [1-9]", b), "rejections are counted", b[-900:])
    finally:
        s.stop()
    bad = subprocess.run([RB, "serve", "--packs", "rules", "--listen", "0.0.0.0:0"], cwd=work, capture_output=True, timeout=20)
    check(bad.returncode == 2 and b"--allow-remote" in bad.stderr, "a non-loopback address needs --allow-remote", bad.stderr)
    for args in (["--threads", "0"], ["--threads", "-3"], ["--max-body", "10"], ["--request-timeout", "-1"],
                 ["--max-batch", "0"], ["--listen", "127.0.0.1:99999"]):
        r = subprocess.run([RB, "serve", "--packs", "rules", *args], cwd=work, capture_output=True, timeout=20)
        check(r.returncode == 2, f"serve refuses {' '.join(args)}", r.stderr[-200:])


def reload(work):
    packs = os.path.join(work, "reload-packs")
    os.mkdir(packs)
    shutil.copytree(os.path.join(work, "rules", "common"), os.path.join(packs, "common"))
    s = Server(packs, "sqlite:" + os.path.join(work, "reload.db"), cwd=work)
    try:
        st, h, b = s.request("POST", "/admin/reload")
        check(st == 200 and json.loads(b)["reloaded"], "POST /admin/reload reloads", b[:200])
        check(conforms("POST", "/admin/reload", st, h.get("Content-Type", ""), b) is None, "reload conforms")
        before = json.loads(s.request("GET", "/packs/common")[2])["hash"]
        pack_yaml = os.path.join(packs, "common", "pack.yaml")
        good = open(pack_yaml).read()
        open(pack_yaml, "w").write(good.replace("version:", "version: [", 1))
        # Requests keep flowing during the failed reload.
        results = []
        def hammer():
            for _ in range(30):
                results.append(s.request("GET", "/packs/common")[0])
        t = threading.Thread(target=hammer)
        t.start()
        st, h, b = s.request("POST", "/admin/reload")
        t.join()
        e = json.loads(b)["error"]
        check(st == 409 and e["code"] == "reload_failed" and "pack.yaml" in e["message"] and e["line"],
              "a failing reload says which file and line", b[:300])
        check(conforms("POST", "/admin/reload", st, h.get("Content-Type", ""), b) is None, "a failed reload conforms")
        check(all(x == 200 for x in results), "no request dropped while reloading", results)
        check(json.loads(s.request("GET", "/packs/common")[2])["hash"] == before, "the old packs keep serving")
        s.proc.send_signal(signal.SIGHUP)
        time.sleep(1)
        check("SIGHUP: reload failed" in s.stderr(), "SIGHUP reports a failed reload", s.stderr()[-300:])
        open(pack_yaml, "w").write(good.replace("\nversion: 1.0.0", "\nversion: 1.0.1", 1))
        s.proc.send_signal(signal.SIGHUP)
        time.sleep(1)
        info = json.loads(s.request("GET", "/packs/common")[2])
        check(info["version"] == "1.0.1" and info["hash"] != before, "SIGHUP swaps in the new packs", info.get("version"))
    finally:
        check(s.stop(signal.SIGINT) == 0, "SIGINT stops cleanly")


def concurrent(s, examples, expected, as_of, db, work, clients, seconds):
    """N clients for a while: zero errors, every answer the CLI's, every 200 in the ledger once."""
    before = len(ledger_ids(db, work))
    deadline = time.time() + seconds
    ok_ids, errors_seen, lock = [], [], threading.Lock()
    decidable = [(p, t) for p, t in examples if expected[(p, t)][1]]

    def client(seed):
        rng = random.Random(seed)
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        while time.time() < deadline:
            p, text = rng.choice(decidable)
            try:
                c.request("POST", f"/packs/{p}/check?as_of={as_of}", body=text, headers={"X-Reviewer": f"r{seed}"})
                r = c.getresponse()
                body = r.read()
                if r.status != 200 or body != expected[(p, text)][1]:
                    with lock:
                        errors_seen.append((r.status, body[:200]))
                else:
                    with lock:
                        ok_ids.append(r.getheader("X-Decision-Id"))
                if r.getheader("Connection") == "close":
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors_seen.append(repr(e))
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        c.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not errors_seen, f"{clients} clients for {seconds}s ({db.split(':')[0]}): zero errors, answers equal to the CLI's",
          errors_seen[:3])
    check(len(ok_ids) > 50, f"{clients} clients got many answers", len(ok_ids))
    ids = ledger_ids(db, work)
    check(len(ids) - before == len(ok_ids) and set(ok_ids) <= set(ids), "every answered decision is in the ledger, once",
          (len(ids) - before, len(ok_ids)))


def kill_mid_load(work, db, examples):
    """SIGKILL under load, restart: each decision answered 200 is in the ledger, none twice."""
    s = Server("rules", db, cwd=work)
    answered, lock, stop = [], threading.Lock(), threading.Event()
    decidable = [(p, t) for p, t in examples]

    def client(seed):
        rng = random.Random(seed)
        while not stop.is_set():
            p, text = rng.choice(decidable)
            try:
                st, h, _ = s.request("POST", f"/packs/{p}/check?as_of=2025-06-30", text, timeout=5)
                if st == 200:
                    with lock:
                        answered.append(h["X-Decision-Id"])
            except (OSError, http.client.HTTPException):
                pass

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait(10)
    stop.set()
    for t in threads:
        t.join()
    s2 = Server("rules", db, cwd=work)  # the ledger opens again after the crash
    try:
        st, _, _ = s2.request("GET", "/health")
        check(st == 200, "the server restarts on the ledger after SIGKILL")
    finally:
        s2.stop()
    ids = ledger_ids(db, work)
    missing = set(answered) - set(ids)
    check(len(answered) > 20 and not missing, f"SIGKILL ({db.split(':')[0]}): none of {len(answered)} answered decisions lost",
          list(missing)[:3])
    check(len(ids) == len(set(ids)), "no record doubled")


def ledger_rules(work, db):
    """DS-01 reads the ledger: the unit's earlier grants count against its cap, a paid transaction is
    refused, a re-review supersedes and is not counted against itself; each answer equals
    `check --record` on a ledger that saw the same decisions."""
    agency = {"name": "东胜区科创技术转移服务中心", "type": "patent_service_agency", "credit_code": "52150602MJ0000123G"}
    other = dict(agency, credit_code="91150602MA0N2XY23D", name="另一机构")
    tx = lambda i, number, amount: {"id": i, "concluded": True, "contract": {
        "number": number, "amount": amount, "signed_on": "2024-03-15", "tripartite": True}, "transformation": {"succeeded": True}}
    docs = [
        # Each declares what it received (the ledger knows only its own grants: DS-01 asks otherwise).
        ("first application", {"id": "A-1", "applicant": dict(agency, subsidies_received=0),
                               "transactions": [tx("T1", "HT-1", 4000000)]}),
        ("second application", {"id": "A-2", "applicant": dict(agency, subsidies_received=0),
                                "transactions": [tx("T1", "HT-1", 4000000), tx("T2", "HT-2", 8000000)]}),
        ("re-review of the second", {"id": "A-2", "applicant": dict(agency, subsidies_received=200000),
                                     "transactions": [tx("T1", "HT-1", 4000000), tx("T2", "HT-2", 8000000)]}),
        ("another unit", {"id": "B-1", "applicant": dict(other, subsidies_received=0),
                          "transactions": [tx("T1", "HT-9", 4000000)]}),
    ]
    cli_db = "sqlite:" + os.path.join(work, "rules-cli-" + db.split(":")[0] + ".db")
    s = Server("rules", db, cwd=work)
    answers = {}
    try:
        for name, d in docs:
            text = json.dumps(d, ensure_ascii=False).encode()
            st, h, body = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30", text)
            code, out = cli_decision("rules/dongsheng-2024", "2025-06-30", text, work, cli_db)
            check(st == 200 and body == out, f"ledger rules ({db.split(':')[0]}): {name} equals check --record", (st, body[:300], out[:300]))
            rule = next(r for r in json.loads(body)["rules"] if r["id"] == "DS-01") if st == 200 else {"outputs": {}, "items": []}
            answers[name] = (h, rule)
        # Under the first application's number, another unit's application: neither a re-review
        # (it would erase the first unit's grant from its cap) nor a new one; nothing recorded.
        clash = {"id": "A-1", "applicant": other, "transactions": [tx("T1", "HT-8", 1000)]}
        st, _, body = s.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30",
                                json.dumps(clash, ensure_ascii=False).encode())
        err = json.loads(body) if st == 409 else {}
        check(st == 409 and err.get("error", {}).get("code") == "application_conflict" and "52150602MJ0000123G" in err.get("error", {}).get("message", ""),
              f"ledger rules ({db.split(':')[0]}): another unit's application under a recorded number is refused", (st, body[:300]))
        # In a batch, that application is refused in its place and the others are decided and recorded,
        # in one transaction: what the ledger holds for another unit is refused before deciding (one
        # at a time, each refusal decided the rest again: 300 such items took 30 s).
        def transactions():
            _, _, m = s.request("GET", "/metrics")
            found = re.search(r"^rulebook_ledger_transactions_total (\d+)$", m.decode(), re.M)
            return int(found.group(1)) if found else -1
        before = transactions()
        fresh = {"id": "C-1", "applicant": dict(other, subsidies_received=0), "transactions": [tx("T1", "HT-7", 1000)]}
        batch = "\n".join(json.dumps(d, ensure_ascii=False) for d in (fresh, clash, clash, clash)).encode()
        st, _, body = s.request("POST", "/packs/dongsheng-2024/batch?as_of=2025-06-30", batch)
        res = json.loads(body).get("results", []) if st == 200 else []
        check(len(res) == 4 and res[0].get("decision_id")
              and all(r.get("status") == 409 and r.get("error", {}).get("code") == "application_conflict" for r in res[1:]),
              f"ledger rules ({db.split(':')[0]}): in a batch, the clashing application is refused in its place, the other recorded",
              (st, body[:400]))
        check(transactions() == before + 1,
              f"ledger rules ({db.split(':')[0]}): a batch with three clashing applications is decided in one transaction",
              (before, transactions()))
        # One number for two units within a batch: the second is the clash, not the first (helper-72).
        first = dict(fresh, id="C-2", applicant=dict(other, name="第三单位", credit_code="91150602MA0N000030"))
        before = transactions()
        batch = "\n".join(json.dumps(d, ensure_ascii=False) for d in (first, dict(fresh, id="C-2"), first)).encode()
        st, _, body = s.request("POST", "/packs/dongsheng-2024/batch?as_of=2025-06-30", batch)
        res = json.loads(body).get("results", []) if st == 200 else []
        check(len(res) == 3 and res[0].get("decision_id") and res[1].get("status") == 409 and res[2].get("decision_id"),
              f"ledger rules ({db.split(':')[0]}): the later of two units under one number is the one refused", (st, body[:400]))
        check(transactions() == before + 1,
              f"ledger rules ({db.split(':')[0]}): and in one transaction", (before, transactions()))
    finally:
        s.stop()
    o = lambda n: answers[n][1]["outputs"]
    items = lambda n: {i["key"]: i["outcome"] for i in answers[n][1].get("items", [])}
    check(o("first application").get("total") == 200000 and o("first application").get("received_from") == "ledger",
          "the first application is paid in full, from the ledger's 0", o("first application"))
    check(o("second application").get("received_before") == 200000 and o("second application").get("total") == 300000,
          "the second application gets what is left of the unit's cap", o("second application"))
    check(items("second application") == {"T1": "fail", "T2": "pass"}, "a contract already paid is refused",
          items("second application"))
    check(o("second application").get("declared_differs") is True, "a declaration contradicting the ledger is reported")
    check(o("re-review of the second").get("received_before") == 200000 and o("re-review of the second").get("total") == 300000,
          "a re-review does not count the decision it supersedes", o("re-review of the second"))
    check(o("re-review of the second").get("declared_differs") is False, "a declaration agreeing with the ledger")
    check(answers["re-review of the second"][0].get("X-Supersedes") == answers["second application"][0].get("X-Decision-Id"),
          "the re-review supersedes the second application's record", answers["re-review of the second"][0])
    check(o("another unit").get("received_before") == 0 and o("another unit").get("total") == 200000,
          "another unit's cap is its own", o("another unit"))
    # The ledger as a reviewer reads it back.
    led = lambda *a: subprocess.run([RB, "ledger", *a, "--db", db], cwd=work, capture_output=True)
    second, again = answers["second application"][0]["X-Decision-Id"], answers["re-review of the second"][0]["X-Decision-Id"]
    shown = led("show", again)
    rec = json.loads(shown.stdout) if shown.returncode == 0 else {}
    check(rec.get("id") == again and rec.get("supersedes") == second and rec.get("application_id") == "A-2"
          and rec.get("credit_code") == "52150602MJ0000123G" and len(rec.get("input_hash", "")) == 64
          and rec.get("decision", {}).get("pack", {}).get("id") == "dongsheng-2024", "ledger show: one record with its decision", rec)
    check(isinstance(rec.get("input"), str)
          and hashlib.sha256(rec["input"].encode()).hexdigest() == rec.get("input_hash")
          and isinstance(json.loads(rec.get("ledger_figures") or "null"), dict),
          "ledger show: the input as received (its SHA-256 is input_hash) and the ledger figures decided on", rec)
    exported = [json.loads(l) for l in led("export", "--application", "A-2").stdout.decode().splitlines()]
    check(len(exported) == 2 and all(isinstance(e.get("input"), str) for e in exported),
          "ledger export: every record carries its input", exported)
    old_rec = json.loads(led("show", second).stdout or "{}")
    check(old_rec.get("superseded_by") == again, "the superseded record stays, marked", old_rec.get("superseded_by"))
    listed = led("list", "--current", "--pack", "dongsheng-2024", "--credit-code", "52150602MJ0000123G").stdout.decode().splitlines()
    check(len(listed) == 2 and again in listed[1] and second not in "".join(listed), "ledger list --current", listed)
    csv = led("export", "--format", "csv", "--application", "A-2").stdout.decode().splitlines()
    check(len(csv) == 3 and csv[0].startswith("id,seq,recorded_at") and again in csv[1] + csv[2], "ledger export csv", csv)
    check(led("show", "no-such-record").returncode == 2, "ledger show of an unknown id exits 2")


def path_steps(path):
    """$.a.b[0].c → ['.a', '.b', '[]', '.c'] (any element index reads as [])."""
    return [m[0] and "." + m[0] or "[]" for m in re.findall(r"\.([^.\[\]]+)|\[([^\]]*)\]", path[1:])]


def read_paths(s, packs, examples, as_of):
    """GET /packs/{id} names where the rules read a document (`reads`): XJ-01..03 read 2015's two
    figures, the campaigns of 2016..2019 and 2020's figures, not the region nor 2016's applications.
    Sound for every example: the document cut down to what `reads` covers is decided alike."""
    reads = {}
    for p in packs:
        st, h, body = s.request("GET", f"/packs/{p}")
        listed = json.loads(body).get("reads")
        check(st == 200 and isinstance(listed, list) and all(r.startswith("$") for r in listed), f"GET /packs/{p} lists `reads`", body[:300])
        reads[p] = [path_steps(r) for r in listed or []]
    if "xinjiang-13fyp" in packs:
        st, h, body = s.request("GET", "/packs/xinjiang-13fyp")
        xj = json.loads(body).get("reads", [])
        want_in = ["$.statistics.years.2015.patent_applications", "$.statistics.years.2016.anti_counterfeit_campaigns",
                   "$.statistics.years.2020.enforcement_info_fully_public"]
        want_out = ["$.statistics.region", "$.statistics.years", "$.statistics.years.2016.patent_applications",
                    "$.statistics.years.*.patent_applications"]
        check(all(w in xj for w in want_in) and not any(w in xj for w in want_out)
              and sum(r.startswith("$.statistics.years.2020.") for r in xj) == 19,
              "xinjiang-13fyp reads the figures its rules name, year by year", xj)

    def covers(pattern, at):  # `pattern` covers the place `at`, or lies below it
        return all(w == a or w == ".*" for w, a in zip(pattern, at))

    def cut(v, at, patterns):
        if any(len(r) <= len(at) for r in patterns):  # a pattern covers all of v
            return v
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                below = [r for r in patterns if covers(r, at + ["." + k])]
                if below:
                    out[k] = cut(x, at + ["." + k], below)
            return out
        if isinstance(v, list):
            below = [r for r in patterns if covers(r, at + ["[]"])]
            return [cut(x, at + ["[]"], below) for x in v] if below else []
        return v

    def said(d):
        return d["outcome"], [(r["id"], r["outcome"], json.dumps(r.get("outputs"), sort_keys=True)) for r in d["rules"]]

    same = cut_some = 0
    for p, text in examples:
        doc = json.loads(text)
        if p not in reads or not isinstance(doc, dict):
            continue
        smaller = cut(doc, [], reads[p])
        if smaller == doc:
            continue
        cut_some += 1
        st1, _, whole = s.request("POST", f"/packs/{p}/check?as_of={as_of}&dry_run=true", text)
        st2, _, part = s.request("POST", f"/packs/{p}/check?as_of={as_of}&dry_run=true", json.dumps(smaller, ensure_ascii=False).encode())
        if st1 != 200 or st2 == 422:  # refused whole, or a field the schema requires is read by no rule
            continue
        check(st2 == 200 and said(json.loads(whole)) == said(json.loads(part)),
              f"{p}: an example without the fields no rule reads is decided alike", (st2, said(json.loads(whole)), part[:300]))
        same += 1
    check(cut_some >= 20 and same >= 10, f"examples cut to what the rules read ({same} of {cut_some} compared)")


def api_reference():
    """docs/api.md documents exactly the operations of schemas/openapi.json."""
    doc = open(os.path.join(SRC, "docs/api.md"), encoding="utf-8").read()
    documented = set(re.findall(r"^### (GET|POST|PUT|DELETE|PATCH) (\S+)", doc, re.M))
    declared = {(m.upper(), p) for p, ops in OPENAPI["paths"].items() for m in ops}
    check(documented == declared, "docs/api.md and the OpenAPI document list the same operations",
          (sorted(declared - documented), sorted(documented - declared)))
    for code in re.findall(r'"code": "([a-z_]+)"', open(os.path.join(SRC, "engine/serve/server.cpp")).read()) + \
            re.findall(r'err\(\d+, "([a-z_]+)"', open(os.path.join(SRC, "engine/serve/server.cpp")).read()):
        check(f"`{code}`" in doc, f"docs/api.md explains the error code {code}")


if __name__ == "__main__":
    main()
