"""examples/fleet on local Ray and Dask clusters of 2 CPUs: the distributed fleet report is
byte-identical to the plain loop's."""
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "examples" / "fleet"))

import fleet  # noqa: E402

CLUSTERS = 6


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    return fleet.make_bundles(str(tmp_path_factory.mktemp("fleet")), CLUSTERS)


@pytest.fixture(scope="module")
def plain(bundles):
    return fleet.plain(bundles, reference="cluster-000")


def test_the_synthetic_fleet_diverges(plain):
    assert plain.summary["clusters"] == CLUSTERS
    assert plain.divergence, "the bundles are meant to differ from the reference"


def test_ray_equals_the_plain_loop(bundles, plain):
    pytest.importorskip("ray")
    import ray_fleet

    got = ray_fleet.run(bundles, reference="cluster-000", num_cpus=2)
    assert got.to_json() == plain.to_json()


def test_dask_equals_the_plain_loop(bundles, plain):
    pytest.importorskip("dask.distributed")
    import dask_fleet

    got = dask_fleet.run(bundles, reference="cluster-000", workers=2)
    assert got.to_json() == plain.to_json()
