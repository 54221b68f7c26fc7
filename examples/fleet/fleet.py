"""The map and the reduce of a fleet evaluation, shared by the Ray and Dask examples.

- `evaluate_cluster(name, path, now)` is the map: one cluster's evidence bundle evaluated into a
  fleet report of one cluster (a few hundred bytes per control, where the full report carries every
  finding). It is pure: the same bundle and `now` give the same bytes, so a retried task is safe.
- `merge(*parts)` is the reduce: fleet reports merge as a union of clusters, so the engine may
  combine them in any order and grouping and the result is the same bytes.
- `plain(bundles, reference, now)` is the loop both distributed runs must equal.
- `make_bundles(dest, n)` writes `n` synthetic cluster bundles derived from examples/cluster.
"""

import argparse
import os
import shutil
import sys
import tempfile

import hullcheck

NOW = "2026-06-01T00:00:00Z"
EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cluster")
_ENGINE = None


def engine():
    """One engine per worker process, built on first use (it is immutable and thread-safe)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = hullcheck.Engine()
    return _ENGINE


def evaluate_cluster(name, path, now=NOW):
    """Evaluates one cluster's bundle into a fleet report of that cluster."""
    report = engine().evaluate_paths(path, now=now)
    return hullcheck.Report.merge({name: report})


def merge(*parts):
    """Merges fleet reports (the reduce step; associative and commutative)."""
    return hullcheck.FleetReport.merge(list(parts))


def plain(bundles, reference=None, now=NOW):
    """The fleet report of `bundles` (`(name, path)` pairs) by a plain loop."""
    parts = [evaluate_cluster(name, path, now) for name, path in bundles]
    return hullcheck.FleetReport.merge(parts, reference=reference)


def make_bundles(dest, n):
    """Writes `n` bundles under `dest` and returns their `(name, path)` pairs, sorted by name.

    Cluster `i` holds the example's files minus a few chosen by `i`, plus one Deployment that is
    privileged on every third cluster, so controls pass on some clusters and fail on others.
    """
    files = sorted(
        os.path.relpath(os.path.join(d, f), EXAMPLE) for d, _, fs in os.walk(EXAMPLE) for f in fs
    )
    out = []
    for i in range(n):
        name = f"cluster-{i:03d}"
        root = os.path.join(dest, name)
        for k, rel in enumerate(files):
            if (i + k) % 7 == 0 and i > 0:
                continue
            target = os.path.join(root, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(EXAMPLE, rel), target)
        privileged = "true" if i % 3 == 2 else "false"
        with open(os.path.join(root, "fleet-app.yaml"), "w") as f:
            f.write(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: fleet-app, namespace: apps}\n"
                "spec:\n  selector: {matchLabels: {app: fleet}}\n  template:\n"
                "    metadata: {labels: {app: fleet}}\n    spec:\n      containers:\n"
                "      - name: app\n        image: registry.example.com/fleet/app@sha256:"
                + "a" * 64
                + f"\n        securityContext: {{privileged: {privileged}}}\n"
            )
        out.append((name, os.path.abspath(root)))
    return out


def command(doc, add_arguments, run):
    """The examples' command line: `--clusters`, `--reference` and `--format`, plus the engine's
    own arguments (`add_arguments`); `run(bundles, reference, args)` computes the fleet report of
    that many synthetic bundles, which is printed."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--clusters", type=int, default=20)
    ap.add_argument("--reference", default="cluster-000")
    ap.add_argument("--format", default="text")
    add_arguments(ap)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = run(make_bundles(tmp, args.clusters), args.reference, args)
    sys.stdout.write(report.render(args.format))
