"""The fast evaluator: the instance's eval script in our sandbox, graded by swebench's functions.

Same apply chain, eval script and grading as the official harness, in one sandbox command instead
of the official harness's many container round trips, so the same status, plus three guards
against reward hacking: patches naming paths outside the repository are refused, files that pytest
or Python load implicitly (conftest.py, pytest.ini, sitecustomize.py, usercustomize.py, *.pth) are
restored to the base commit, and a resolving log must be backed by the test runner's own result
hooks (`hooks/`, checked by `trust`): pytest's, unittest's (Django) or SymPy's. A runner without
hooks is graded exactly as the official harness grades it, and the verdict says so.
"""

from __future__ import annotations

import secrets
import shlex
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path, PurePosixPath

from swebench.harness.utils import make_test_spec
from swebench.utils import generate_heredoc_delimiter

from harness import hooks
from harness.errors import BadInput, EngineUnavailable, HarnessError
from harness.evaluation import Verdict
from harness.evaluation.grading import grade_log, why_unresolved
from harness.evaluation.trust import check
from harness.patches import patch_files, unsafe_paths
from harness.records import Instance, Prediction
from harness.sandbox import open_sandbox

# swebench.harness.run_evaluation.GIT_APPLY_CMDS, in the same order, so verdicts match.
APPLY_CMDS = (
    "git apply --verbose",
    "git apply --verbose --3way",
    "git apply --verbose --reject",
    "patch --batch --forward --fuzz=5 -p1 -i",
)
PROTECTED_NAMES = {"conftest.py", "pytest.ini", "sitecustomize.py", "usercustomize.py"}
WORK = hooks.WORK
LOG_LIMIT = 64 * 1024 * 1024  # test logs are graded whole; cap only runaway output


def protected(path: str) -> bool:
    name = PurePosixPath(path).name
    return name in PROTECTED_NAMES or name.endswith(".pth")


def _heredoc(path: str, content: str) -> list[str]:
    tag = generate_heredoc_delimiter(content)
    return [f"cat > {path} <<'{tag}'", content.rstrip("\n"), tag]


# Interpreters the eval scripts we know use (swe-mini's /swe-env, SWE-bench's conda `testbed`,
# R2E-Gym's /testbed/.venv, the system's): the hooks go into each one's site-packages it can write.
INTERPRETERS = ("/swe-env/bin/python /opt/miniconda3/envs/*/bin/python /opt/conda/envs/*/bin/python "
                "/testbed/.venv/bin/python $(command -v python3 python)")
SITE = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


@cache
def _hook_lines() -> tuple[str, ...]:
    """Write the hooks, activate them, and install them where runners that drop PYTHONPATH find them."""
    lines = [f"mkdir -p {WORK}/hooks/harness_guard-0.dist-info"]
    for name in hooks.FILES:
        lines += _heredoc(f"{WORK}/hooks/{name}", (hooks.HOOKS / name).read_text())
    site_files = " ".join(f"{WORK}/hooks/{n}" for n in hooks.SITE_FILES if "/" not in n)
    lines += [
        f"for py in {INTERPRETERS}; do",
        f'  site=$("$py" -c {shlex.quote(SITE)} 2>/dev/null) && [ -w "$site" ] || continue',
        f'  cp {site_files} "$site"/ && cp -r {WORK}/hooks/harness_guard-0.dist-info "$site"/',
        "done 2>/dev/null",
        f"rm -f {WORK}/guard-report.jsonl; touch {WORK}/guard-active",
        f"export PYTHONPATH={WORK}/hooks${{PYTHONPATH:+:$PYTHONPATH}}",
    ]
    return tuple(lines)


def bundle(instance: Instance, patch: str, protect: Sequence[str], nonce: str) -> str:
    """One bash script: write inputs, apply the patch (official chain), undo protected files,
    run the official eval script under the runners' result hooks, then print the hooks' report
    after a nonce marker."""
    eval_script = make_test_spec(instance.to_swebench()).eval_script  # records the tests' exit code
    lines = [f"mkdir -p {WORK}", *_heredoc(f"{WORK}/eval.sh", eval_script), f"cd {instance.workdir}"]
    if patch.strip():
        lines += [*_heredoc(f"{WORK}/patch.diff", patch), "applied=0; n=0"]
        lines += [
            "for cmd in " + " ".join(shlex.quote(c) for c in APPLY_CMDS) + "; do",
            '  [ $n -gt 0 ] && { git checkout -q -- . ; git clean -fdq; }; n=$((n+1))',
            f"  if $cmd {WORK}/patch.diff >/dev/null 2>&1; then applied=1; break; fi",
            "done",
            f"[ $applied = 1 ] || git apply --check --reverse {WORK}/patch.diff >/dev/null 2>&1 "
            f"|| {{ echo __apply_failed_{nonce}__; exit 0; }}",
        ]
        for path in protect:
            q = shlex.quote(path)
            lines.append(f"git checkout -q {instance.base_commit} -- {q} 2>/dev/null || rm -f {q}")
    lines += [
        *_hook_lines(),
        f"bash {WORK}/eval.sh 2>&1",
        f"echo __report_{nonce}__",
        f"cat {WORK}/guard-report.jsonl 2>/dev/null",
    ]
    return "\n".join(lines) + "\n"


class FastEvaluator:
    name = "fast"

    def __init__(
        self, sandbox: str = "docker", timeout: float = 1800, run_empty: bool = False,
        **_official_only: object,
    ):
        self.sandbox = sandbox
        self.timeout = timeout
        self.run_empty = run_empty  # validation runs the tests on the bare base, too

    def judge(self, instance: Instance, pred: Prediction, log_dir: Path) -> Verdict:
        start = time.monotonic()
        patch = pred.model_patch
        if not patch.strip() and not self.run_empty:
            return Verdict(pred, "empty_patch", "empty patch")
        protect: list[str] = []
        if patch.strip():
            bad = unsafe_paths(patch)
            if bad:
                return Verdict(pred, "patch_failed", f"patch names a path outside the repository: {bad[0]}")
            try:
                protect = [p for p in patch_files(patch).all if protected(p)]
            except BadInput as exc:
                return Verdict(pred, "patch_failed", str(exc))
        nonce = secrets.token_hex(8)
        log_path = log_dir / f"{pred.instance_id}.{pred.sample_index}.log"
        try:
            with open_sandbox(self.sandbox, instance, output_limit=LOG_LIMIT) as sb:
                sb.write_file(f"{WORK}.sh", bundle(instance, patch, protect, nonce))
                run = sb.execute(f"bash {WORK}.sh", timeout=self.timeout)
        except EngineUnavailable:
            raise
        except HarnessError as exc:  # the sandbox failed, not the patch: no evidence either way
            return Verdict(pred, "error", f"sandbox error: {exc}", duration_s=time.monotonic() - start)
        elapsed = time.monotonic() - start
        if f"__apply_failed_{nonce}__" in run.output:
            return Verdict(pred, "patch_failed", "patch does not apply", duration_s=elapsed)
        log, _, hook = run.output.partition(f"__report_{nonce}__\n")
        log_path.write_text(log)
        if run.timed_out:
            return Verdict(pred, "timeout", f"tests exceeded {self.timeout:g} s", duration_s=elapsed,
                           log_path=str(log_path))
        grade = grade_log(instance, pred, log_path)
        trust = check(instance.log_parser, grade, hook)
        tests = tuple((t, e, s) for t, (e, s) in grade.tests.items())
        done = lambda status, reason: Verdict(  # noqa: E731
            pred, status, reason, tests, elapsed, str(log_path), trust.hooks or "none")
        if not patch.strip():
            return done("empty_patch", "empty patch (tests run on the base)")
        if not grade.parsed:  # swebench writes a report that is not resolved: so do we
            return done("unresolved", "no gradable test output")
        if grade.resolved and trust.problem:
            return done("unresolved", f"log not trusted: {trust.problem}")
        notes = [f"ignored the patch's change to {p}" for p in protect]
        if trust.hooks is None:
            notes.append("no result hooks for this runner: graded as the official harness grades")
        if not grade.resolved:
            notes.append(why_unresolved(grade))
        return done("resolved" if grade.resolved else "unresolved", "; ".join(notes))
