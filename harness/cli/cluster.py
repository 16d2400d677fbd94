"""`harness cluster start|status`: Ray nodes for `executor: ray`, each advertising its sandbox slots (a
custom resource sized to its cores and memory), and what a running cluster offers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import typer
from rich.table import Table

from harness.cli.app import app, console
from harness.errors import BadInput
from harness.executors.nodes import SLOT, sandbox_slots

cluster_app = typer.Typer(no_args_is_help=True, help="Ray nodes for `executor: ray`.")
app.add_typer(cluster_app, name="cluster")


@cluster_app.command("start", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def cluster_start(
    ctx: typer.Context,
    address: str | None = typer.Option(None, "--address", help="Join the head at HOST:PORT (default: "
                                       "start a head node here)."),
    slots: int | None = typer.Option(None, "--slots", min=1, help="Sandboxes this node runs at once "
                                     "(default: two a core, at most one per 2 GiB of memory)."),
) -> None:
    """`ray start` with this node's sandbox slots; further arguments go to `ray start` as they are."""
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray")
    if ray is None:
        raise BadInput("ray is not installed: pip install 'entropo-harness[cluster]'")
    count = slots or sandbox_slots()
    where = ["--address", address] if address else ["--head"]
    cmd = [ray, "start", *where, f"--resources={json.dumps({SLOT: count})}", *ctx.args]
    console.print(f"{count} sandbox slots: {' '.join(cmd)}", soft_wrap=True, highlight=False)
    raise typer.Exit(subprocess.run(cmd).returncode)


@cluster_app.command("status")
def cluster_status(
    address: str | None = typer.Option(None, "--address", help="The cluster (default: RAY_ADDRESS, else "
                                       "the one started on this machine)."),
) -> None:
    """The cluster's live nodes: address, CPUs, sandbox slots in all and free now."""
    from harness.executors.ray_cluster import RayExecutor

    executor = RayExecutor(address=address or "auto")
    try:
        import ray

        free = ray.available_resources()
        table = Table(title=f"Ray cluster: {len(ray.nodes())} nodes, {free.get(SLOT, 0):g} of "
                            f"{ray.cluster_resources().get(SLOT, 0):g} sandbox slots free")
        for column in ("node", "address", "CPUs", "sandbox slots"):
            table.add_column(column)
        for node in ray.nodes():
            if node["Alive"]:
                res = node["Resources"]
                table.add_row(node["NodeID"][:12], node["NodeManagerAddress"], f"{res.get('CPU', 0):g}",
                              f"{res.get(SLOT, 0):g}")
        console.print(table)
    finally:
        executor.close()
