"""The `ray` executor: each unit of work a Ray task that needs one `sandbox` slot, so work goes to the
nodes whose Docker engines have room; a task lost with its node is retried elsewhere (Ray's retries)
and its result still reaches the driver once."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from harness.errors import BadInput
from harness.executors.nodes import SLOT, sandbox_slots
from harness.progress import progress_bar

T = TypeVar("T")
R = TypeVar("R")


def _on_node(work: Callable[[T], R], item: T) -> tuple[str, R]:
    import ray

    return ray.get_runtime_context().get_node_id(), work(item)


class RayExecutor:
    """Connects to `address` (else RAY_ADDRESS, else a cluster started on this machine; else starts Ray
    here with this machine's sandbox slots). `max_retries`: how often a task lost with its node or
    worker process is run again. `workers` is the local executor's: the cluster's slots bound this one."""

    remote = True

    def __init__(self, address: str | None = None, max_retries: int = 3, workers: int = 0,
                 **init_options: Any) -> None:
        import ray

        self.max_retries = max_retries
        self.nodes: Counter[str] = Counter()
        self._owns = not ray.is_initialized()
        if self._owns:
            address = address or os.environ.get("RAY_ADDRESS")
            init = dict(logging_level=logging.WARNING, **init_options)
            try:
                ray.init(address=address or "auto", **init)  # "auto": one `ray start` made on this machine
            except TypeError as exc:  # an executor option ray.init does not take
                raise BadInput(f"bad executor_options for ray: {exc}") from exc
            except ConnectionError as exc:
                if address:
                    raise BadInput(f"cannot reach the Ray cluster at {address}: {exc}") from exc
                ray.init(resources={SLOT: sandbox_slots()}, **init)  # none: Ray on this machine alone
        if not ray.cluster_resources().get(SLOT):
            self.close()
            raise BadInput(f"no node of the Ray cluster offers {SLOT!r} slots: start nodes with "
                           f"`harness cluster start` (ray start --resources='{{\"{SLOT}\": N}}')")

    def map(self, work: Callable[[T], R], items: Sequence[T], label: str,
            show_progress: bool = True) -> Iterator[tuple[T, R]]:
        import ray

        task = ray.remote(_on_node).options(num_cpus=0, resources={SLOT: 1}, max_retries=self.max_retries,
                                            retry_exceptions=False)  # a bug is not retried; a lost node is
        shipped = ray.put(work)
        pending = {task.remote(shipped, item): item for item in items}
        with progress_bar(label, len(items), show_progress) as advance:
            try:
                while pending:
                    done, _ = ray.wait(list(pending), num_returns=1)
                    item = pending.pop(done[0])
                    node, result = ray.get(done[0])  # a task's exception is raised as its own type
                    self.nodes[node] += 1
                    yield item, result
                    advance()
            except BaseException:
                for ref in pending:
                    ray.cancel(ref, force=True)
                raise

    def close(self) -> None:
        import ray

        if self._owns and ray.is_initialized():
            ray.shutdown()
