"""A fleet evaluated on Dask: one task per cluster bundle, fleet reports merged as a tree.

    python examples/fleet/dask_fleet.py --clusters 200 [--scheduler tcp://host:8786]

Without `--scheduler` a local cluster of `--workers` single-threaded worker processes is started.
With one, the tasks run on that Dask cluster; the bundles must be readable by the workers, or be
shipped as documents (see examples/fleet/README.md).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fleet  # noqa: E402

FAN_IN = 8


def run(bundles, reference=None, now=fleet.NOW, workers=2, scheduler=None):
    """The fleet report of `bundles` (`(name, path)` pairs), computed on Dask."""
    from dask.distributed import Client, LocalCluster

    # Worker processes import `fleet` by name, as the functions are pickled by reference.
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (HERE, os.environ.get("PYTHONPATH")) if p)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
    client = Client(scheduler or cluster)
    try:
        names = [n for n, _ in bundles]
        paths = [p for _, p in bundles]
        # `retries`: a task lost with its worker runs again; the map is pure, so that is safe.
        futures = client.map(fleet.evaluate_cluster, names, paths, [now] * len(bundles),
                             retries=3, key=[f"evaluate-{n}" for n in names])
        level = 0
        while len(futures) > 1:
            level += 1
            futures = [client.submit(fleet.merge, *futures[i:i + FAN_IN], retries=3,
                                     key=f"merge-{level}-{i}")
                       for i in range(0, len(futures), FAN_IN)]
        parts = [futures[0].result()] if futures else []
        return fleet.hullcheck.FleetReport.merge(parts, reference=reference)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def arguments(ap):
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler")


def main():
    fleet.command(__doc__, arguments, lambda bundles, reference, args: run(bundles, reference, workers=args.workers, scheduler=args.scheduler))


if __name__ == "__main__":
    main()
