#!/usr/bin/env bash
# Whole-process time of the Pod Security Standards written as ValidatingAdmissionPolicies
# (examples/admission/pss-restricted.yaml) beside the built-in PSS controls and checkov, in one
# run, on the same 1,000 manifest files built from ../shared/corpus/k8s as
# benches/compare-checkov.sh builds them. Usage: benches/compare-cel.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. benches/common.sh
prepare "$work"
python3 - "$runs" "$work" <<'PY'
import json, statistics, subprocess, sys, time
runs, work = int(sys.argv[1]), sys.argv[2]
files = f"{work}/files"
hc = ["./target/release/hullcheck", "evaluate", "--format", "json", "--output", f"{work}/hc.json"]
cmds = {
    "built-in PSS (profile pss-restricted)": hc + ["--profile", "pss-restricted", files],
    "PSS as a policy (vap:pss-restricted)": hc + ["--control", "vap:pss-restricted", "examples/admission/pss-restricted.yaml", files],
    "PSS as two policies (baseline and restricted)": hc + ["--control", "vap:pss-baseline", "--control", "vap:pss-restricted",
        "examples/admission/pss-baseline.yaml", "examples/admission/pss-restricted.yaml", files],
    "all built-in controls": hc + [files],
    "checkov": [f"{work}/venv/bin/checkov", "-d", files, "--framework", "kubernetes", "--skip-download", "-o", "json", "--quiet"],
}
times = {k: [] for k in cmds}
for i in range(runs):
    for name, cmd in cmds.items():
        if name == "checkov" and i >= 2:
            continue  # half a minute a run; two runs give the figure
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - t)
        if name.startswith("PSS as a policy") and i == 0:
            r = json.load(open(f"{work}/hc.json"))
            objs = sum(1 for f in r["findings"] if f["control_id"] == "vap:pss-restricted")
            print(f"policy findings: {objs} (objects judged)")
base = statistics.median(times["built-in PSS (profile pss-restricted)"])
for name, ts in times.items():
    m = statistics.median(ts)
    print(f"{name:48s} median {m * 1000:8.0f} ms over {len(ts)} runs  ({m / base:.2f}x the built-in PSS)")
PY
