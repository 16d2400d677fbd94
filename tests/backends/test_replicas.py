"""Several OpenAI-compatible servers behind one openai backend (real HTTP servers on loopback):
requests spread over the replicas, one that stops is skipped until it answers again, a rollout run
with a replica stopped mid-run completes on the other, and a trained policy is served as its LoRA
adapter on every replica."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from server import FakeServer
from test_hf import CHAT
from test_rollout import IDS, call, recording
from threads import in_threads

from harness.agent.loop import Agent
from harness.backends import BackendError, Sampling
from harness.backends.openai_api import OpenAIBackend
from harness.backends.replay import ReplayBackend
from harness.benchmarks.swe_mini import SWE_MINI
from harness.errors import BadInput
from harness.rollout import rollout
from harness.store import Store

FAST = {"retries": 2, "backoff": 0.01, "timeout": 30, "probe_every": 0.1}
TURN = Sampling(max_tokens=2, seed=0)


@pytest.fixture(scope="module")
def servers(tiny_model_dir: Path):
    with FakeServer(tiny_model_dir) as a, FakeServer(tiny_model_dir) as b:
        yield a, b


@pytest.fixture
def pair(servers: tuple[FakeServer, FakeServer]) -> tuple[FakeServer, FakeServer]:
    for server in servers:
        server.reset()
    return servers


def both(pair: tuple[FakeServer, FakeServer], **options) -> OpenAIBackend:
    return OpenAIBackend("tiny", base_url=[s.url for s in pair], **{**FAST, **options})


def test_a_lone_caller_alternates_and_concurrent_ones_go_to_the_least_busy(pair) -> None:
    a, b = pair
    backend = both(pair)
    for _ in range(4):
        backend.chat(CHAT, 1, TURN)
    assert (a.requests, b.requests) == (2, 2)
    a.reset(delay=0.3)
    b.reset(delay=0.3)
    in_threads(lambda i: backend.chat(CHAT, 1, Sampling(max_tokens=2, seed=i)), 6)
    assert (a.requests, b.requests) == (3, 3) and max(a.max_in_flight, b.max_in_flight) <= 3


def test_the_url_list_may_be_one_comma_separated_string(pair) -> None:
    a, b = pair
    backend = OpenAIBackend("tiny", base_url=f"{a.url}, {b.url}", **FAST)
    backend.chat(CHAT, 1, TURN)
    backend.chat(CHAT, 1, TURN)
    assert (a.requests, b.requests) == (1, 1)


def test_a_stopped_replica_is_skipped_until_it_answers_again(pair) -> None:
    a, b = pair
    backend = both(pair)
    b.stop()
    try:
        for _ in range(4):  # the second goes to b, is refused and fails over to a; later ones skip b
            [c] = backend.chat(CHAT, 1, TURN)
            assert c.completion_tokens == 2
        assert (a.requests, b.requests) == (4, 0)
    finally:
        b.start()  # same port
    deadline = time.monotonic() + 10
    while b.probes == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)  # the probe's answer has been read
    for _ in range(2):
        backend.chat(CHAT, 1, TURN)
    assert b.probes >= 1 and b.requests >= 1


def test_when_no_replica_answers_it_is_a_backend_error_naming_them(pair) -> None:
    a, b = pair
    a.reset(mode="flaky", failures=10)
    b.reset(mode="flaky", failures=10)
    with pytest.raises(BackendError, match=rf"model servers {a.url}/?, {b.url}/? failed 4 times; "
                                           r"last: InternalServerError"):
        both(pair).chat(CHAT, 1, TURN)
    assert a.requests + b.requests == 4


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_a_rollout_run_completes_on_one_replica_when_the_other_stops_mid_run(tmp_store: Store,
                                                                            tmp_path: Path):
    """Two servers replay an expert's turns; one stops after its second request. Every sample
    finishes, and the stopped server answered nothing after it stopped."""
    recs = tmp_path / "recs"
    for inst in SWE_MINI.load(None, IDS):
        recording(inst, [call("execute_bash", command="echo hi"), call("finish")]).save(
            recs / f"{inst.instance_id}.json")
    with FakeServer(backend=ReplayBackend(str(recs))) as a, FakeServer(backend=ReplayBackend(str(recs))) as b:
        a.reset(delay=0.05)
        b.reset(delay=0.05)

        def stop_b() -> None:
            while b.requests < 2:
                time.sleep(0.01)
            b.stop()

        stopper = threading.Thread(target=stop_b)
        stopper.start()
        backend = OpenAIBackend("rec", base_url=[a.url, b.url], token_ids=True, **FAST)
        summary = rollout(SWE_MINI.load(None, IDS), tmp_store, "r1", Agent(backend, Sampling()), 4,
                          workers=4, sandbox="local", root=tmp_path / "traj", show_progress=False)
        stopper.join()
        served = (a.requests, b.requests)
        b.start()  # for a clean exit
    assert summary.exit_reasons == {"finished": 8}
    assert sum(served) == 8 * 2 and 2 <= served[1] < served[0]  # two turns a sample, each served once


def trained(root: Path, run_id: str, base: str, lora: bool = True) -> str:
    """A trained stage's folders as `harness train` leaves them: merged model, and the adapter under LoRA."""
    (root / run_id / "merged").mkdir(parents=True)
    if lora:
        (root / run_id / "adapter").mkdir()
        (root / run_id / "adapter" / "adapter_config.json").write_text(
            json.dumps({"base_model_name_or_path": base, "r": 8}))
    return str(root / run_id / "merged")


def test_a_trained_policy_rolls_out_as_its_adapter_on_every_replica(tiny_model_dir: Path, tmp_path: Path):
    """Both servers serve the SFT model; the DPO stage trained from it rolls out by its run id, loaded
    on each replica, and again on one that restarted (a restart forgets adapters)."""
    sft = str(tiny_model_dir)
    policy = trained(tmp_path, "train-dpo-0123456789", sft)
    with FakeServer(tiny_model_dir, root=sft) as a, FakeServer(tiny_model_dir, root=sft) as b:
        backend = OpenAIBackend(policy, base_url=[a.url, b.url], adapters=True, **FAST)
        assert a.adapters == b.adapters == {"train-dpo-0123456789": str(tmp_path / "train-dpo-0123456789" /
                                                                        "adapter")}
        for _ in range(2):
            backend.chat(CHAT, 1, TURN)
        assert [body["model"] for body in a.bodies + b.bodies] == ["train-dpo-0123456789"] * 2
        assert backend.model == policy  # what trajectories record: the weights rolled out
        b.stop()
        b.start()  # back without the adapter: the next request there is a 404, the probe reloads it
        for _ in range(4):
            backend.chat(CHAT, 1, TURN)
        deadline = time.monotonic() + 10
        while not b.adapters and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "train-dpo-0123456789" in b.adapters
        backend.close()
        # the base method's model is the served one itself: no adapter
        base = OpenAIBackend(sft, base_url=[a.url], adapters=True, **FAST)
        base.chat(CHAT, 1, TURN)
        assert a.bodies[-1]["model"] == sft


def test_an_adapter_for_another_model_or_none_at_all_is_bad_input(tiny_model_dir: Path, tmp_path: Path):
    with FakeServer(tiny_model_dir, root=str(tiny_model_dir)) as server:
        other = trained(tmp_path, "train-kto-0123456789", str(tmp_path / "some-other-sft"))
        with pytest.raises(BadInput, match=rf"trained from {tmp_path}/some-other-sft, but .* serves "):
            OpenAIBackend(other, base_url=server.url, adapters=True, **FAST)
        full = trained(tmp_path, "train-sft-0123456789", str(tiny_model_dir), lora=False)
        with pytest.raises(BadInput, match="has no LoRA adapter to serve"):
            OpenAIBackend(full, base_url=server.url, adapters=True, **FAST)
        assert server.adapters == {}


def test_a_lone_server_that_restarts_gets_its_adapter_back(tiny_model_dir: Path, tmp_path: Path):
    """With one replica there is no other to fail over to: the probe reloads the adapter, and the
    retries that back off meanwhile then succeed."""
    policy = trained(tmp_path, "train-kto-0123456789", str(tiny_model_dir))
    with FakeServer(tiny_model_dir, root=str(tiny_model_dir)) as server:
        backend = OpenAIBackend(policy, base_url=server.url, adapters=True,
                                **{**FAST, "retries": 4, "backoff": 0.2})
        server.stop()
        server.start()  # same port, adapters forgotten
        [c] = backend.chat(CHAT, 1, TURN)
        assert c.completion_tokens == 2 and "train-kto-0123456789" in server.adapters
        backend.close()
