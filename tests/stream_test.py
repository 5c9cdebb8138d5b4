#!/usr/bin/env python3
"""rulebook check --stream as another language drives it: a child process fed one line at a
time, each answer read before the next line is written (a co-process that waited for the end of
its input would hang here, and the test fails on a deadline instead).

usage: stream_test.py RULEBOOK SOURCE_DIR"""
import json
import os
import select
import subprocess
import sys
from decimal import Decimal

rulebook, src = sys.argv[1], sys.argv[2]
pack = os.path.join(src, "rules", "dongsheng-2024")
failures = []


def check(what, cond, detail=""):
    if not cond:
        failures.append(what)
        print("FAIL", what, detail)


def compact(path):
    with open(os.path.join(src, "examples", "dongsheng-2024", path), encoding="utf-8") as f:
        return json.dumps(json.load(f), ensure_ascii=False)


class CoProcess:
    def __init__(self, *args):
        self.p = subprocess.Popen([rulebook, "check", "--stream", "--pack", pack, *args], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buffer = b""

    def ask(self, line, timeout=10.0):
        """Writes one line and returns the one answer line, or None when none came in time."""
        self.p.stdin.write(line.encode("utf-8") + b"\n")
        self.p.stdin.flush()
        return self.read_line(timeout)

    def read_line(self, timeout):
        fd = self.p.stdout.fileno()
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line, parse_float=Decimal)

    def close(self):
        self.p.stdin.close()
        rest = self.p.stdout.read()
        code = self.p.wait(timeout=10)
        return code, rest, self.p.stderr.read().decode("utf-8")


# The answers, in order, each before the next line is sent.
co = CoProcess("--as-of", "2025-06-30")
multi = co.ask(compact("multi.json"))
check("a valid line is answered at once", multi is not None)
if multi:
    check("the answer names line 1", multi.get("line") == 1, multi.get("line"))
    check("the decision passes", multi.get("outcome") == "pass", multi.get("outcome"))
    ds01 = next((r for r in multi["rules"] if r["id"] == "DS-01"), {})
    outputs = ds01.get("outputs", {})
    check("DS-01's total keeps its digits", str(outputs.get("total")) == "500000.00", outputs)
    # The same decision as `check --format json` gives the whole file (the stream adds line and id).
    whole = subprocess.run([rulebook, "check", "--pack", pack, "--as-of", "2025-06-30", "--format", "json",
                            os.path.join(src, "examples", "dongsheng-2024", "multi.json")], capture_output=True)
    single = json.loads(whole.stdout, parse_float=Decimal)
    streamed = {k: v for k, v in multi.items() if k not in ("line", "id", "document")}
    single = {k: v for k, v in single.items() if k != "document"}
    check("the streamed decision is check's", streamed == single,
          json.dumps({k: (streamed.get(k), single.get(k)) for k in set(streamed) | set(single)
                      if streamed.get(k) != single.get(k)}, ensure_ascii=False)[:600])

bad = co.ask('{"applicant": ')
check("a malformed line is answered", bad is not None)
if bad:
    check("its answer is an invalid record of line 2", bad.get("line") == 2 and bad.get("outcome") == "invalid", bad)
    where = [e.get("at", "") for e in bad.get("errors", [])]
    check("the error points at line 2", any(":2:" in w for w in where), where)

wrong = co.ask(json.dumps({"id": "APP-9", "applicant": {"name": 7}}))
check("a line breaking the schema is answered", wrong is not None)
if wrong:
    check("its answer names its id and a JSON path", wrong.get("outcome") == "invalid" and wrong.get("id") == "APP-9"
          and any(e.get("json_path", "").startswith("$") for e in wrong.get("errors", [])), wrong)

# A blank line is skipped, as in JSON Lines, but still counted.
co.p.stdin.write(b"\n")
again = co.ask(compact("capped.json"))
check("the stream goes on after bad lines", again is not None)
if again:
    check("and counts the blank line", again.get("line") == 5, again.get("line"))
    check("a valid line again gets a decision", again.get("outcome") in ("pass", "fail", "needs_info"), again)

code, rest, err = co.close()
check("nothing more is written once the input ends", rest == b"", rest[:200])
check("exit 2: some lines were invalid", code == 2, (code, err))

# A line over --max-input-bytes is refused, read past and not kept; the next line is answered.
co = CoProcess("--as-of", "2025-06-30", "--max-input-bytes", "1000")
big = co.ask('{"x": "' + "a" * 5000 + '"}')
check("an over-long line is answered as invalid", big is not None and big.get("outcome") == "invalid", big)
small = co.ask(compact("eligible.json") if len(compact("eligible.json")) < 1000 else "{}")
check("the line after it is answered", small is not None and small.get("line") == 2, small)
co.close()

# Bad usage: --stream with files, or with --format.
for args in (["x.json"], ["--format", "text"]):
    r = subprocess.run([rulebook, "check", "--stream", "--pack", pack, *args], capture_output=True, input=b"")
    check(f"--stream with {args} is refused", r.returncode == 2 and b"excludes" in r.stderr, r.stderr[:300])

print(f"stream: {len(failures)} failed")
sys.exit(1 if failures else 0)
