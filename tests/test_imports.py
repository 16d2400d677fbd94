"""The import graph: no cycle between the project's packages (each `harness.<name>` module or
sub-package, `methods`, `analysis`), and `methods/` a library that knows nothing of the pipeline.
Every import counts, at module level or inside a function, under TYPE_CHECKING or not."""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harness", "methods", "analysis")
VENDORED = "repos"  # swe-mini's library sources: test data, not the project's code


def unit(module: str) -> str | None:
    """The package an import belongs to: `harness.x` (module or sub-package), `methods`, `analysis`."""
    parts = module.split(".")
    if parts[0] not in PACKAGES:
        return None
    return ".".join(parts[:2]) if parts[0] == "harness" and len(parts) > 1 else parts[0]


def exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or path.is_dir()


@cache
def imports() -> dict[str, set[tuple[str, str]]]:
    """Source file -> {(module imported, its unit)} for every import of the project's own modules."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if VENDORED in path.relative_to(ROOT).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                else:
                    continue
                for name in names:
                    if unit(name) and exists(name):
                        found[str(path.relative_to(ROOT))].add((name, unit(name)))
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                out.append(sorted([v, *component]))

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def package_edges() -> tuple[dict[str, set[str]], dict[tuple[str, str], list[str]]]:
    edges: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for source, targets in imports().items():
        mod = ".".join(Path(source).with_suffix("").parts).removesuffix(".__init__")
        for _, target in targets:
            if target != unit(mod):
                edges[unit(mod)].add(target)
                where[(unit(mod), target)].append(source)
    return edges, where


def test_no_import_cycle_between_packages() -> None:
    edges, where = package_edges()
    assert len(edges) > 20  # the graph was read, not empty
    found = cycles(edges)
    detail = [f"{a} -> {b} ({', '.join(sorted(where[(a, b)]))})"
              for component in found for a in component for b in edges[a] if b in component]
    assert found == [], "\n".join(detail)


def test_methods_import_nothing_of_the_pipeline() -> None:
    """methods/ turns examples into a model folder; the pipeline hands it the examples."""
    stages = ("harness.pipeline", "harness.demos", "harness.rollout", "harness.evaluation", "harness.cli")
    offending = sorted(f"{source}: {name}" for source, targets in imports().items()
                       if source.startswith("methods/") for name, u in targets if u in stages)
    assert any(source.startswith("methods/") for source in imports())
    assert offending == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
