#!/usr/bin/env python3
"""Python and Node whole calls beside the CLI's whole process, on the same files, in one run.

    python3 benches/bindings.py [RUNS] [PATH]     # default: 9 runs on ../shared/corpus/k8s

Needs the release CLI (`cargo build --release -p hullcheck-cli`), the wheel installed in
target/venv (`make test-python`) and the Node addon built (`make test-node`). Each figure is the
median of RUNS; the calls run in one warm process after a first, untimed call.
- CLI: `hullcheck evaluate --output /dev/null PATH`, the whole process.
- Python: `engine.evaluate_paths(PATH)` and the first `report.findings` (the conversion), and
  then `report.findings` again (cached).
- Node: the same with `engine.evaluatePaths` and `report.findings`.
"""

import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOW = "2026-06-01T00:00:00Z"
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 9
PATH = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "corpus", "k8s"))

PY = f"""
import json, statistics, sys, time
import hullcheck
engine = hullcheck.Engine()
engine.evaluate_paths({PATH!r}, now={NOW!r}).findings
call, first, again = [], [], []
for _ in range({RUNS}):
    t0 = time.perf_counter(); r = engine.evaluate_paths({PATH!r}, now={NOW!r}); t1 = time.perf_counter()
    r.findings; t2 = time.perf_counter(); r.findings; t3 = time.perf_counter()
    call.append(t1 - t0); first.append(t2 - t1); again.append(t3 - t2)
m = statistics.median
print(json.dumps({{"call": m(call), "convert": m(first), "cached": m(again), "findings": len(r.findings)}}))
"""

JS = f"""
const {{ Engine }} = require({os.path.join(ROOT, 'bindings', 'node')!r})
const engine = new Engine()
engine.evaluatePaths({PATH!r}, {{ now: {NOW!r} }}).findings
const call = [], first = [], again = []
const now = () => Number(process.hrtime.bigint()) / 1e9
let r
for (let i = 0; i < {RUNS}; i++) {{
  const t0 = now(); r = engine.evaluatePaths({PATH!r}, {{ now: {NOW!r} }}); const t1 = now()
  r.findings; const t2 = now(); r.findings; const t3 = now()
  call.push(t1 - t0); first.push(t2 - t1); again.push(t3 - t2)
}}
const m = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]
console.log(JSON.stringify({{ call: m(call), convert: m(first), cached: m(again), findings: r.findings.length }}))
"""


def main():
    cli = os.path.join(ROOT, "target", "release", "hullcheck")
    times = []
    for _ in range(RUNS + 1):
        t0 = time.perf_counter()
        subprocess.run([cli, "evaluate", "--now", NOW, "--output", os.devnull, PATH], check=False)
        times.append(time.perf_counter() - t0)
    cli_t = statistics.median(times[1:])
    py = json.loads(subprocess.run([os.path.join(ROOT, "target", "venv", "bin", "python"), "-c", PY],
                                   capture_output=True, text=True, check=True).stdout)
    js = json.loads(subprocess.run(["node", "-e", JS], capture_output=True, text=True, check=True).stdout)
    print(f"files: {PATH}; {py['findings']} findings; median of {RUNS}")
    print(f"| | evaluate | first `findings` | whole call | vs CLI | `findings` again |")
    print(f"|---|---:|---:|---:|---:|---:|")
    print(f"| CLI (whole process) | | | {cli_t * 1e3:.0f} ms | 1.00× | |")
    for name, r in (("Python", py), ("Node", js)):
        whole = r["call"] + r["convert"]
        print(f"| {name} | {r['call'] * 1e3:.0f} ms | {r['convert'] * 1e3:.0f} ms | {whole * 1e3:.0f} ms | "
              f"{whole / cli_t:.2f}× | {r['cached'] * 1e6:.1f} µs |")


if __name__ == "__main__":
    main()
