"""Image maintenance without Docker: the prune plan, pull retries on a fake client, the rate limiter."""

from __future__ import annotations

import docker
import pytest

from harness.images import prune, pull
from harness.images.prune import Candidate, plan
from harness.images.pull import RateLimiter, pull_one

GB = 10**9


def names(cands: list[Candidate]) -> list[str]:
    return [c.name for c in cands]


# ---------------------------------------------------------------- prune.plan

LRU = [Candidate("a:1", "id-a", 3 * GB, 10.0), Candidate("b:1", "id-b", 2 * GB, 20.0),
       Candidate("c:1", "id-c", 5 * GB, 30.0)]  # 10 GB in all


@pytest.mark.parametrize(("budget", "evicted"), [
    (11 * GB, []), (10 * GB, []),            # fits: nothing to do
    (10 * GB - 1, ["a:1"]), (7 * GB, ["a:1"]),  # 7 GB left after a: exactly at the budget
    (7 * GB - 1, ["a:1", "b:1"]), (5 * GB, ["a:1", "b:1"]),
    (0, ["a:1", "b:1", "c:1"]),
])
def test_plan_evicts_least_recently_used_until_within_budget(budget, evicted):
    assert names(plan(LRU, budget)) == evicted


def test_plan_follows_last_use_not_list_order():
    assert names(plan(list(reversed(LRU)), 7 * GB)) == ["a:1"]


def test_shared_image_is_counted_once_and_removed_with_all_its_tags():
    shared = [Candidate("x:old", "id-x", 4 * GB, 1.0), Candidate("y:1", "id-y", 4 * GB, 5.0),
              Candidate("x:new", "id-x", 4 * GB, 9.0)]  # x: one 4 GB image, two tags
    assert names(plan(shared, 8 * GB)) == []  # 8 GB on disk, not 12
    # x was last used at 9.0 (its newest tag), so y goes first...
    assert names(plan(shared, 4 * GB)) == ["y:1"]
    # ...and x goes with both tags: removing one tag of two would only untag it
    assert names(plan(shared, 0)) == ["y:1", "x:old", "x:new"]


def test_prune_dry_run_and_removal(monkeypatch):
    removed = []

    class Images:
        def remove(self, name, force):
            removed.append((name, force))

    monkeypatch.setattr(prune, "candidates", lambda extra: LRU)
    monkeypatch.setattr(prune, "client", lambda: type("C", (), {"images": Images()})())
    assert names(prune.prune(7 * GB, dry_run=True)) == ["a:1"] and removed == []
    assert names(prune.prune(7 * GB)) == ["a:1"] and removed == [("a:1", True)]


# ---------------------------------------------------------------- pull.pull_one


class FakeImages:
    """images.get says absent (or present); images.pull replays `outcomes` (an exception or None)."""

    def __init__(self, outcomes, present=False):
        self.outcomes, self.present, self.pulls = list(outcomes), present, []

    def get(self, name):
        if not self.present:
            raise docker.errors.ImageNotFound(f"No such image: {name}")

    def pull(self, name):
        self.pulls.append(name)
        outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome


class NoWait:
    waits = 0

    def wait(self):
        self.waits += 1


def run_pull(monkeypatch, outcomes, name="org/img:v1", retries=4, present=False):
    images = FakeImages(outcomes, present)
    monkeypatch.setattr(pull, "client", lambda: type("C", (), {"images": images})())
    sleeps, limiter = [], NoWait()
    status = pull_one(name, limiter, retries=retries, backoff=5.0, sleep=sleeps.append)
    return status, images.pulls, sleeps, limiter.waits


def test_present_image_is_not_pulled(monkeypatch):
    assert run_pull(monkeypatch, [], present=True) == ("present", [], [], 0)


def test_transient_errors_are_retried_with_backoff(monkeypatch):
    outcomes = [ConnectionError("connection reset"), docker.errors.APIError("500 Server Error"), None]
    status, pulls, sleeps, waits = run_pull(monkeypatch, outcomes)
    assert status == "pulled"
    assert pulls == ["org/img:v1"] * 3
    assert sleeps == [5.0, 10.0]
    assert waits == 3  # every attempt goes through the rate limiter


def test_retries_run_out(monkeypatch):
    status, pulls, sleeps, _ = run_pull(monkeypatch, [TimeoutError("read timed out")] * 3, retries=2)
    assert status == "failed: read timed out"
    assert (len(pulls), sleeps) == (3, [5.0, 10.0])  # no sleep after the last attempt


def test_manifest_unknown_stops_at_once(monkeypatch):
    error = docker.errors.NotFound("manifest for org/img:v1 not found: manifest unknown")
    status, pulls, sleeps, _ = run_pull(monkeypatch, [error, None])
    assert status == "failed: manifest for org/img:v1 not found: manifest unknown"
    assert (len(pulls), sleeps) == (1, [])


def test_rate_limit_names_the_fix_and_is_retried(monkeypatch):
    error = docker.errors.APIError("toomanyrequests: You have reached your pull rate limit.")
    status, pulls, sleeps, _ = run_pull(monkeypatch, [error, error], retries=1)
    assert status == (
        "failed: registry rate limit reached (toomanyrequests: You have reached your pull rate "
        "limit.); lower --per-minute or log in"
    )
    assert (len(pulls), sleeps) == (2, [5.0])


@pytest.mark.parametrize("name", [
    "swebench/sweb.eval.x86_64.django_1776_django-11099:latest",
    "plain",
    "localhost:5000/org/img:v2",
    "org/img@sha256:" + "a" * 64,
])
def test_name_is_passed_whole_to_docker(monkeypatch, name):
    """docker-py splits repository, tag and digest itself (a digest has a ':' of its own)."""
    assert run_pull(monkeypatch, [None], name=name)[1] == [name]


# ---------------------------------------------------------------- RateLimiter


class Clock:
    def __init__(self):
        self.now = 100.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.now += seconds


def starts(monkeypatch, per_minute, gaps):
    """The clock reading after each wait; `gaps` idles the clock before each one."""
    clock = Clock()
    monkeypatch.setattr(pull, "time", clock)
    limiter, seen = RateLimiter(per_minute), []
    for gap in gaps:
        clock.now += gap
        limiter.wait()
        seen.append(clock.now)
    return seen


def test_rate_limiter_spacing(monkeypatch):
    assert starts(monkeypatch, 30, [0, 0, 0]) == [100.0, 102.0, 104.0]  # one start every 2 s
    assert starts(monkeypatch, 30, [0, 0.5, 10]) == [100.0, 102.0, 112.0]  # idle time is not banked
    assert starts(monkeypatch, 0, [0, 0, 0]) == [100.0, 100.0, 100.0]  # 0: unlimited
