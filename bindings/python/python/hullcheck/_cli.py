"""The package's `hullcheck` command: the same command line as the binary (the CLI library's
`run`), so flags, output and exit codes are identical."""

import signal
import sys

from ._hullcheck import run_cli


def main() -> None:
    """Runs the command line on `sys.argv` and exits with its code."""
    sys.stdout.flush()
    # Ctrl-C stops the command at once, as it stops the binary (Python's handler would only run
    # once the evaluation returned).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(run_cli(["hullcheck", *sys.argv[1:]]))
