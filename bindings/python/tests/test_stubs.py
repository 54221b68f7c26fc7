"""The shipped .pyi stubs match the compiled module (mypy stubtest)."""
import shutil
import subprocess
import sys

import pytest


def test_stubtest_agrees_with_the_module():
    pytest.importorskip("mypy")
    out = subprocess.run([sys.executable, "-m", "mypy.stubtest", "hullcheck"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_stubs_and_marker_ship_with_the_package():
    import hullcheck
    import pathlib

    pkg = pathlib.Path(hullcheck.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "__init__.pyi").exists() and (pkg / "_hullcheck.pyi").exists()
    assert shutil.which(sys.executable)
