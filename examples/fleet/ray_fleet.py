"""A fleet evaluated on Ray: one task per cluster bundle, fleet reports merged as a tree.

    python examples/fleet/ray_fleet.py --clusters 200 [--address auto] [--reference cluster-000]

Without `--address` a local Ray cluster is started with `--cpus` CPUs. With `--address auto` (or
`ray://host:10001`) the tasks run on an existing cluster; the bundles must then be readable by
the workers (a shared volume), or be shipped as documents (see examples/fleet/README.md).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fleet  # noqa: E402

FAN_IN = 8


def run(bundles, reference=None, now=fleet.NOW, num_cpus=2, address=None):
    """The fleet report of `bundles` (`(name, path)` pairs), computed on Ray."""
    import ray

    started = not ray.is_initialized()
    if started:
        kwargs = dict(include_dashboard=False, log_to_driver=False,
                      runtime_env={"env_vars": {"PYTHONPATH": HERE}})
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=num_cpus, object_store_memory=256 * 1024 * 1024, **kwargs)
    try:
        # A failed task (a lost worker) is run again: the map is pure, so a retry gives the same bytes.
        evaluate = ray.remote(max_retries=3)(fleet.evaluate_cluster)
        merge = ray.remote(max_retries=3)(fleet.merge)
        refs = [evaluate.remote(name, path, now) for name, path in bundles]
        while len(refs) > 1:
            refs = [merge.remote(*refs[i:i + FAN_IN]) for i in range(0, len(refs), FAN_IN)]
        parts = [ray.get(refs[0])] if refs else []
        return fleet.hullcheck.FleetReport.merge(parts, reference=reference)
    finally:
        if started:
            ray.shutdown()


def arguments(ap):
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--address")


def main():
    fleet.command(__doc__, arguments, lambda bundles, reference, args: run(bundles, reference, num_cpus=args.cpus, address=args.address))


if __name__ == "__main__":
    main()
