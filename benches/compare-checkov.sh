#!/usr/bin/env bash
# Whole-process comparison of hullcheck against checkov (from PyPI) on the same 1,000 real
# Kubernetes manifest files, built from ../shared/corpus/k8s. Both tools run in alternation;
# the medians and their ratio are printed. Usage: benches/compare-checkov.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. benches/common.sh
prepare "$work"
python3 - "$runs" "$work" <<'PY'
import statistics, subprocess, sys, time
runs, work = int(sys.argv[1]), sys.argv[2]
files = f"{work}/files"
cmds = {
    "hullcheck": ["./target/release/hullcheck", "evaluate", "--format", "json", "--output", f"{work}/hc.json", files],
    "checkov": [f"{work}/venv/bin/checkov", "-d", files, "--framework", "kubernetes", "--skip-download", "-o", "json", "--quiet"],
}
times = {k: [] for k in cmds}
for i in range(runs):
    for name, cmd in cmds.items():
        if name == "checkov" and i >= max(2, runs // 2):
            continue  # checkov takes half a minute a run; a few runs give a stable median
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - t)
hc, cv = statistics.median(times["hullcheck"]), statistics.median(times["checkov"])
size = sum(__import__("os").path.getsize(f"{files}/{f}") for f in __import__("os").listdir(files))
print(f"files: 1000 ({size / 1e6:.1f} MB)")
print(f"hullcheck: median {hc * 1000:.0f} ms over {len(times['hullcheck'])} runs")
print(f"checkov:   median {cv * 1000:.0f} ms over {len(times['checkov'])} runs")
print(f"ratio:     {cv / hc:.0f}x")
PY
