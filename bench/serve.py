#!/usr/bin/env python3
"""Throughput and latency of `rulebook serve` at 1, 8 and 64 concurrent clients.

usage: bench/serve.py RULEBOOK [SECONDS] [DB]    (from the repository's root; standard library only)
Each client keeps one connection and posts examples/dongsheng-2024/multi.json (without its credit
code, see below) to
/packs/dongsheng-2024/check in a loop; every answer must be 200. DB is the ledger URL (default: a
fresh SQLite file; "none" serves with --no-ledger). The clients run on the same machine as the
server, so they take part of its CPU: the figures are a floor, not a ceiling."""

import http.client, json, os, re, subprocess, sys, tempfile, threading, time

rb = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5
tmp = tempfile.mkdtemp(prefix="rulebook-bench-serve-")
db = sys.argv[3] if len(sys.argv) > 3 else "sqlite:" + os.path.join(tmp, "ledger.db")
# Without a credit code: DS-01 reads the unit's history from the ledger, and one unit deciding
# thousands of times a second would measure that history's growth (a real unit has a handful of
# decisions), not the service. The figures are still computed and placed in $.ledger.
doc = json.load(open("examples/dongsheng-2024/multi.json"))
doc["applicant"].pop("credit_code", None)
body = json.dumps(doc, ensure_ascii=False).encode()
args = [rb, "serve", "--packs", "rules", "--listen", "127.0.0.1:0", "--threads", "8", "--queue", "128"]
args += ["--no-ledger"] if db == "none" else ["--db", db]
proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
port = int(re.search(rb":(\d+)\s*$", proc.stdout.readline()).group(1))


def level(clients):
    lat, errors, lock = [], [0], threading.Lock()
    start = time.time()
    end = start + seconds

    def client():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.time() < end:
            t = time.perf_counter()
            try:
                c.request("POST", "/packs/dongsheng-2024/check?as_of=2025-06-30", body=body)
                r = c.getresponse()
                r.read()
                ok = r.status == 200
                if r.getheader("Connection") == "close":
                    c.close()
            except (OSError, http.client.HTTPException):
                ok = False
                c.close()
            if ok:
                mine.append(time.perf_counter() - t)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - start
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
    return len(lat) / elapsed, pct(0.50), pct(0.99), errors[0]


try:
    print(f"ledger: {db if db == 'none' else db.split(':')[0]}; {seconds:g} s per level; server: 8 workers")
    print(f"{'clients':>8} {'decisions/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for n in (1, 8, 64):
        rate, p50, p99, err = level(n)
        print(f"{n:>8} {rate:>12.0f} {p50:>8.2f} {p99:>8.2f} {err:>7}")
finally:
    proc.terminate()
    proc.wait()
