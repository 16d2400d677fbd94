"""The `scripted_run` fixture: a real swe-mini run of the three scripted agents of scripted.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from scripted import FIX, IID, OVERREACH, RUN, scripted

from harness.agent.loop import Agent
from harness.agent.prompts import Prompts
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.benchmarks.swe_mini import SWE_MINI
from harness.rollout import rollout


@pytest.fixture
def scripted_run(tmp_store, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    instances = SWE_MINI.load("test", [IID])
    issue = Prompts().instance(instances[0].public_view())
    agents = [scripted(issue, "fix", FIX), scripted(issue, "overreach", OVERREACH),
              scripted(issue, "give-up", None)]
    agent = Agent(ReplayBackend("scripted", agents), Sampling(temperature=0))
    rollout(instances, tmp_store, RUN, agent, 6, 0, 2, "local", {}, tmp_path / "trajectories",
            show_progress=False)
    return tmp_store
