"""The executors' contract without a cluster: results come back to the caller as each finishes, an
exception stops the rest, names are checked, a remote executor refuses a live agent, and a node's
sandbox slots follow its cores and memory."""

from __future__ import annotations

import threading
import time

import pytest

from harness.agent.loop import Agent, AgentConfig
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.errors import BadInput
from harness.executors import open_executor
from harness.executors.local import LocalExecutor
from harness.executors.nodes import sandbox_slots
from harness.rollout import rollout
from harness.store import Store


def test_local_results_come_back_to_the_callers_thread_as_each_finishes() -> None:
    caller, seen = threading.get_ident(), []
    executor = LocalExecutor(workers=3)
    for item, result in executor.map(lambda x: (time.sleep(0.05 * (3 - x)), x * x)[1], [0, 1, 2], "t",
                                     show_progress=False):
        seen.append((item, result, threading.get_ident() == caller))
    assert seen == [(2, 4, True), (1, 1, True), (0, 0, True)]  # fastest first, all in the caller's thread
    assert sum(executor.nodes.values()) == 3


def test_an_exception_from_work_stops_the_rest_and_is_raised() -> None:
    ran = []

    def work(x: int) -> int:
        if x == 0:
            raise ValueError("a bug")
        time.sleep(0.01)
        ran.append(x)
        return x

    with pytest.raises(ValueError, match="a bug"):
        list(LocalExecutor(workers=1).map(work, list(range(50)), "t", show_progress=False))
    assert len(ran) < 49


def test_unknown_executor_is_bad_input() -> None:
    with pytest.raises(BadInput, match=r"unknown executor 'slurm'; known: local, ray"):
        open_executor("slurm")


def test_a_remote_executor_refuses_a_live_agent(tmp_store: Store) -> None:
    """A live agent holds a model and connections: nodes get an AgentSpec to build their own."""

    class Remote(LocalExecutor):
        remote = True

    agent = Agent(ReplayBackend("rec", recordings=[]), Sampling(), AgentConfig())
    with pytest.raises(TypeError, match="rolls out an AgentSpec"):
        rollout([], tmp_store, "r", agent, 1, executor=Remote())


@pytest.mark.parametrize(("cores", "memory", "slots"), [(2, 24, 4), (16, 8, 4), (1, 1, 1), (64, 512, 128)])
def test_sandbox_slots_are_two_a_core_and_one_per_2_gib(cores: int, memory: float, slots: int) -> None:
    assert sandbox_slots(cores, memory) == slots


def test_a_node_pulls_or_builds_each_image_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """ensure_images on a node: pulled benchmarks' images are pulled (a failure is one clear error),
    local families' built, and an image made once is not asked for again in the process."""
    import dataclasses

    from harness.benchmarks.swe_mini import SWE_MINI
    from harness.errors import EngineUnavailable
    from harness.images import pull
    from harness.sandbox import prepare

    mini = SWE_MINI.load("test")[0]
    hub = dataclasses.replace(mini, instance_id="astropy__astropy-1", benchmark="swebench-verified",
                              image="swebench/sweb.eval.x86_64.astropy_1776_astropy-1:latest")
    calls: list[tuple[str, list[str]]] = []
    outcome = {"status": "pulled"}
    monkeypatch.setattr(prepare, "_ready", set())
    monkeypatch.setattr(pull, "pull_images", lambda names, workers: (
        calls.append(("pull", list(names))), {n: outcome["status"] for n in names})[1])
    monkeypatch.setattr(prepare, "prepare_images", lambda need, docker, workers: calls.append(
        ("prepare", [i.image for i in need])))
    prepare.ensure_images([mini, hub], "docker")
    prepare.ensure_images([mini.public_view(), hub], "docker")  # made already: nothing to do
    prepare.ensure_images([mini], "local")  # no images without Docker
    assert calls == [("pull", [hub.image]), ("prepare", [mini.image, hub.image])]
    outcome["status"] = "failed: manifest unknown"
    other = dataclasses.replace(hub, image="swebench/other:latest")
    with pytest.raises(EngineUnavailable, match="could not pull swebench/other:latest: failed: manifest"):
        prepare.ensure_images([other], "docker")
