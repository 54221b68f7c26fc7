"""The package's `hullcheck` command and `python -m hullcheck` are the CLI itself."""

import os
import subprocess
import sys

from conftest import NOW, ROOT

ARGS = ["evaluate", "--format", "json", "--now", NOW, "examples/cluster"]


def _binary(args):
    return subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "hullcheck-cli", "--", *args],
        cwd=ROOT, capture_output=True, text=True,
    )


def test_the_installed_command_gives_the_binary_s_bytes_and_exit_code():
    command = os.path.join(os.path.dirname(sys.executable), "hullcheck")
    assert os.access(command, os.X_OK), "the wheel installs a `hullcheck` command"
    got = subprocess.run([command, *ARGS], cwd=ROOT, capture_output=True, text=True)
    want = _binary(ARGS)
    assert got.returncode == want.returncode == 1
    assert got.stdout == want.stdout


def test_python_m_hullcheck_is_the_same_command():
    got = subprocess.run([sys.executable, "-m", "hullcheck", "--version"], capture_output=True, text=True)
    assert got.returncode == 0
    assert got.stdout.startswith("hullcheck ")


def test_usage_errors_exit_2_with_clap_s_message():
    got = subprocess.run([sys.executable, "-m", "hullcheck", "evaluate", "--no-such-flag"], capture_output=True, text=True)
    assert got.returncode == 2
    assert "--no-such-flag" in got.stderr
