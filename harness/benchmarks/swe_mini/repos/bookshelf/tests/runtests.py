#!/usr/bin/env python
"""Run bookshelf's tests the way Django's own tests/runtests.py runs Django's."""

import argparse
import os
import sys

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [TESTS_DIR, os.path.dirname(TESTS_DIR)]

import django  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test.utils import get_runner  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the bookshelf test suite.")
    parser.add_argument("labels", nargs="*", metavar="module", help="e.g. lending.tests")
    parser.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
    parser.add_argument("--settings", default="test_sqlite", help="settings module")
    parser.add_argument("--parallel", type=int, default=1, help="test processes (default 1)")
    args = parser.parse_args(argv)
    # Set-up messages go to stdout and results to stderr: line buffering keeps each on its own line
    # when both share one pipe (an eval log), so the log parser sees every result line whole.
    sys.stdout.reconfigure(line_buffering=True)

    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    django.setup()
    print(f"Testing against Django installed in '{os.path.dirname(django.__file__)}'")
    runner_class = get_runner(settings)
    runner = runner_class(verbosity=args.verbosity, parallel=args.parallel, interactive=False)
    labels = args.labels or ["catalog", "lending"]
    failures = runner.run_tests(labels)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
