import os
import pathlib

import pytest

import hullcheck

ROOT = pathlib.Path(__file__).resolve().parents[3]
NOW = "2026-06-01T00:00:00Z"


@pytest.fixture(scope="session")
def engine() -> hullcheck.Engine:
    return hullcheck.Engine()


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(autouse=True)
def _cwd():
    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)
