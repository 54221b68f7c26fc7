"""The shipped .pyi stubs match the compiled module (mypy stubtest)."""
import shutil
import subprocess
import sys

import pytest


def test_stubtest_agrees_with_the_module(tmp_path):
    pytest.importorskip("mypy")
    # `hullcheck.types` is Python source, its own stub; stubtest misreads its Literal aliases.
    allow = tmp_path / "allowlist"
    allow.write_text("hullcheck\\.types\\..*\n")
    out = subprocess.run([sys.executable, "-m", "mypy.stubtest", "--allowlist", str(allow), "hullcheck"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_stubs_and_marker_ship_with_the_package():
    import hullcheck
    import pathlib

    pkg = pathlib.Path(hullcheck.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_hullcheck.pyi").exists() and (pkg / "types.py").exists()
    assert shutil.which(sys.executable)
