"""Clusters per second for a synthetic fleet: the plain loop, Ray and Dask, each on the same
bundles, with every result checked byte-identical to the loop's.

    python examples/fleet/throughput.py --clusters 200 --cpus 2
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dask_fleet  # noqa: E402
import fleet  # noqa: E402
import ray_fleet  # noqa: E402


def timed(label, n, f):
    t0 = time.perf_counter()
    out = f()
    dt = time.perf_counter() - t0
    print(f"{label:6} {n} clusters in {dt:6.2f} s: {n / dt:6.1f} clusters/s", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=int, default=200)
    ap.add_argument("--cpus", type=int, default=2)
    args = ap.parse_args()
    n = args.clusters
    with tempfile.TemporaryDirectory() as tmp:
        bundles = fleet.make_bundles(tmp, n)
        ref = "cluster-000"
        want = timed("plain", n, lambda: fleet.plain(bundles, ref)).to_json()
        got = timed("ray", n, lambda: ray_fleet.run(bundles, ref, num_cpus=args.cpus)).to_json()
        assert got == want, "Ray's fleet report differs from the loop's"
        got = timed("dask", n, lambda: dask_fleet.run(bundles, ref, workers=args.cpus)).to_json()
        assert got == want, "Dask's fleet report differs from the loop's"
        print(f"fleet report: {len(want)} bytes; every run byte-identical")


if __name__ == "__main__":
    main()
