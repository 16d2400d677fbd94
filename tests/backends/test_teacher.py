"""`train.*.source: teacher` end to end on swe-mini: a teacher served by a real OpenAI-compatible
server on loopback (replaying expert turns) is rolled out on the SFT corpus, its trajectories are
stored, judged and filtered (finished and resolved), SFT trains on them, then ENTROPO-KTO on the
teacher's and the SFT model's rollouts of the preference corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from server import FakeServer

from harness.backends.replay import ReplayBackend
from harness.config import CorpusConfig
from harness.demos import build_demos
from harness.paths import TRAJECTORIES
from harness.store import Store
from harness.training_data import corpus_instances

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")]
N = 3  # corpus instances


def test_a_served_teacher_feeds_sft_then_entropo_kto(run_cli, tmp_path: Path, tiny_model_dir: Path) -> None:
    recorded = tmp_path / "expert"
    with Store(recorded / "db.duckdb") as store:  # the expert's turns, recorded apart from the run
        build_demos(corpus_instances(CorpusConfig(instances=N), 0), store, "local", 2, show_progress=False)
    with FakeServer(backend=ReplayBackend(str(recorded / TRAJECTORIES))) as server:
        done = run_cli(
            "train", "-C", "swe-mini", "--method", "entropo", "--model", tiny_model_dir,
            "-c", "sandbox=local",
            "-c", f"train.sft.instances={N}", "-c", "train.sft.source=teacher",
            "-c", f"train.preference.instances={N}", "-c", "train.preference.source=teacher",
            "-c", "train.preference.rollouts={teacher: 1, policy: 1}",
            "-c", "train.teacher.model=expert-teacher", "-c", "train.teacher.backend=openai",
            "-c", f"train.teacher.backend_options={{base_url: {server.url}}}",
            "-c", "method_options.max_steps=2", "--db", "ws/db.duckdb", timeout=1200)
        served = server.requests
    assert done.returncode == 0, done.stderr[-3000:]
    assert served > N  # every teacher turn went over HTTP
    with Store(tmp_path / "ws" / "db.duckdb", read_only=True) as store:
        (teacher_run, model, backend, budget), = store.query(
            "SELECT run_id, config->>'policy', config->>'backend', (config->>'budget')::INT FROM runs "
            "WHERE starts_with(run_id, 'teacher-') AND kind = 'rollout'")
        judged = store.query("SELECT count(*), count(*) FILTER (resolved) FROM evaluations WHERE eval_id = ?",
                             [f"{teacher_run}.fast"])
        trained = dict(store.query("SELECT config->>'stage', (config->>'rows')::INT FROM runs "
                                   "WHERE kind = 'training'"))
        steps = dict(store.query("SELECT method, count(*) FROM training_runs GROUP BY 1"))  # by stage
        demos = store.query("SELECT count(*) FROM rollouts WHERE starts_with(run_id, 'demos-')")
        policy = store.query("SELECT count(*), count(*) FILTER (exit_reason = 'finished') FROM rollouts "
                             "WHERE starts_with(run_id, 'base-')")
    assert (model, backend, budget) == ("expert-teacher", "openai", 1)  # the teacher is in the stored config
    assert judged == [(N, N)]  # the replayed expert resolves every corpus instance
    assert trained["sft"] == N  # SFT on the finished, resolved teacher trajectories
    # ENTROPO-KTO on the teacher's and the SFT model's rollouts: the tiny model's never finish, so
    # the data builder keeps the teacher's (PAPER.md: finished trajectories only)
    assert policy == [(N, 0)] and trained["entropo-kto"] == N
    assert steps == {"sft": 2, "entropo-kto": 2} and demos == [(0,)]  # no gold demonstrations were made
