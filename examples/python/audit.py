#!/usr/bin/env python3
"""Audit script: evaluate an evidence bundle and print a per-framework summary.

Exits 1 when any framework requirement fails, 0 otherwise.

    python3 examples/python/audit.py examples/cluster --now 2026-06-01T00:00:00Z
"""
import argparse
import sys

import hullcheck


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="evidence files and directories")
    parser.add_argument("--now", help="evaluation time (RFC 3339)")
    parser.add_argument("--profile", action="append", dest="profiles", help="evaluate only this profile")
    args = parser.parse_args()

    engine = hullcheck.Engine()
    try:
        report = engine.evaluate_paths(args.paths, profiles=args.profiles, now=args.now)
    except hullcheck.HullcheckError as err:
        print(f"error [{err.code}]: {err}", file=sys.stderr)
        return 2

    summary = report.summary
    print(f"evaluated {summary['documents']} documents at {report.evaluated_at}")
    print(f"{'framework':<24}{'status':<14}{'pass':>6}{'fail':>6}{'n/a':>6}{'open':>6}")
    failing = False
    for fw in report.frameworks:
        if not fw["requirements"]:
            continue
        c = fw["counts"]
        failing |= fw["status"] == "fail"
        print(f"{fw['framework_id']:<24}{fw['status']:<14}{c['pass']:>6}{c['fail']:>6}{c['not_applicable']:>6}{c['not_assessed']:>6}")
    worst = [f for f in report.findings if f["status"] == "fail" and f["severity"] == "critical"]
    if worst:
        print(f"\n{len(worst)} critical failures, for example:")
        for f in worst[:5]:
            loc = f["location"]
            print(f"  {f['control_id']} {loc['file']}:{loc['line']} {f['message']}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
