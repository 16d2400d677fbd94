"""The eval script of an instance, in the SWE-bench 5.x shape that `make_test_spec` parses.

Test files the test patch touches are reset to the base commit (or removed when the test patch
creates them) before and after applying it, so a candidate patch cannot pre-empt or edit them.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from swebench.harness.constants import APPLY_PATCH_FAIL, END_TEST_OUTPUT, START_TEST_OUTPUT
from swebench.utils import generate_heredoc_delimiter

from harness.patches import patch_files


def make_eval_script(
    base_commit: str,
    test_patch: str,
    test_command: str,
    workdir: str = "/testbed",
    preamble: Sequence[str] = (),
) -> str:
    """Bash that applies `test_patch` at `base_commit` and runs `test_command` between the markers."""
    files = patch_files(test_patch)
    reset = []
    if files.modified or files.deleted:
        existing = " ".join(shlex.quote(f) for f in files.modified + files.deleted)
        reset.append(f"git checkout {base_commit} -- {existing}")
    if files.created:
        reset.append("rm -f " + " ".join(shlex.quote(f) for f in files.created))
    delimiter = generate_heredoc_delimiter(test_patch)
    lines = [
        "#!/bin/bash",
        "set -uxo pipefail",
        *preamble,
        f"cd {workdir}",
        *reset,
        f"git apply --verbose - <<'{delimiter}' || {{ echo '{APPLY_PATCH_FAIL}'; exit 1; }}",
        test_patch.rstrip("\n"),
        delimiter,
        f": '{START_TEST_OUTPUT}'",
        test_command,
        f": '{END_TEST_OUTPUT}'",
        *reset,
    ]
    return "\n".join(lines) + "\n"
