"""Demonstrations: every gold patch turned into an expert trajectory (look at the files, edit them
with `file_editor`, run the tests, `finish`) and executed through the real agent loop and sandbox,
so every observation is real. SFT data and "chosen" examples for training.

A recovering demonstration first makes a mistake a small agent makes (a misnamed module or file, an
edit of a line the file does not have, or a turn whose call has lost its opening tag), sees the real
error and puts it right; the mistaken turn is stored as untrained (`Turn.trained`), so a model learns
the way back from an error, never the error."""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath

from harness.agent.actions import Action, render_text
from harness.agent.loop import Agent, AgentConfig
from harness.agent.prompts import Prompts
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.benchmarks import local_family, run_name
from harness.benchmarks.swe_mini import Reproduction
from harness.config import SFTCorpusConfig
from harness.errors import HarnessError
from harness.patches import patch_files
from harness.records import Instance
from harness.rollout import RolloutSummary, rollout
from harness.sandbox import open_sandbox
from harness.sandbox.prepare import prepare_images
from harness.store import Store
from harness.trajectory import Trajectory, Turn

EXPERT = 2  # bump when expert_turns acts otherwise: stored demonstrations of another expert are not reused
MISTAKES = ("module", "path")  # what a recovering demonstration gets wrong first: the import, the file read


@dataclass(frozen=True)
class Recoveries:
    """The shares of fixing demonstrations that first make a small agent's mistake and put it right:
    `names` import a misnamed module or read a misnamed file (MISTAKES), `edits` replace a line the
    file does not have, `formats` write one turn's call without its opening tag. Each is drawn from the
    instance id alone, apart from the others (one demonstration may make several), so a demonstration
    is the same in every corpus and a smaller share picks a subset."""

    names: float = 0.0
    edits: float = 0.0
    formats: float = 0.0

    @classmethod
    def of(cls, corpus: SFTCorpusConfig) -> Recoveries:
        """The shares an SFT corpus config asks for (`recoveries`, `edit_recoveries`, `format_recoveries`)."""
        return cls(corpus.recoveries, corpus.edit_recoveries, corpus.format_recoveries)

    def suffix(self) -> str:
        """The run id's part (`-r<names>`, `-x<edits>`, `-f<formats>`), empty at 0: stored demonstrations
        keep their ids."""
        shares = (("r", self.names), ("x", self.edits), ("f", self.formats))
        return "".join(f"-{tag}{share:g}" for tag, share in shares if share)

    def mistake(self, instance_id: str) -> str | None:
        """The mistake of MISTAKES that `instance_id`'s demonstration recovers from, if drawn."""
        digest = _drawn(f"recovery:{instance_id}", self.names)
        return MISTAKES[digest[8] % len(MISTAKES)] if digest else None

    def misedits(self, instance_id: str) -> bool:
        """Whether `instance_id`'s demonstration first edits a line its file does not have."""
        return _drawn(f"edit-recovery:{instance_id}", self.edits) is not None

    def garbled(self, instance_id: str) -> int | None:
        """Which of its trained turns `instance_id`'s demonstration first writes garbled (a draw to be
        taken modulo the turn count), if drawn."""
        digest = _drawn(f"format-recovery:{instance_id}", self.formats)
        return int.from_bytes(digest[8:12], "big") if digest else None


def demo_run_id(benchmark: str, split: str | None, fix: bool = True, prompt: str = "full",
                recoveries: Recoveries = Recoveries()) -> str:
    style = ("" if prompt == "full" else f"-{prompt}") + recoveries.suffix()
    return f"{'demos' if fix else 'nofix'}-{run_name(benchmark)}-{split or 'all'}{style}-e{EXPERT}"


def _drawn(key: str, share: float) -> bytes | None:
    """`key`'s digest when it falls in the first `share` of all digests, else None."""
    digest = hashlib.sha256(key.encode()).digest()
    return digest if int.from_bytes(digest[:8], "big") < share * 2**64 else None


def misnamed(name: str, instance_id: str) -> str:
    """`name` with its first word made up anew, as a small agent writes a name it recalls from training
    instead of the one on screen (`monubu_archive` -> `savabu_archive`)."""
    from harness.benchmarks.swe_gen.generate import CONSONANTS, VOWELS

    rng, (first, sep, rest) = random.Random(f"misnamed:{instance_id}"), name.partition("_")
    while True:
        word = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randint(2, 3)))
        if word != first:
            return word + sep + rest


def build_demos(
    instances: Sequence[Instance], store: Store, sandbox: str = "docker", workers: int = 2,
    test_command: str | None = None, root: Path | None = None, show_progress: bool = True,
    fix: bool = True, prompt: str = "full", recoveries: Recoveries = Recoveries(),
) -> RolloutSummary:
    """Store one expert trajectory per instance under run id `demos-<benchmark>-<split>` (and the
    prompt style when not the full one: the same turns under the compact prompt are other examples;
    then the expert's version).

    `fix=False` records the same expert giving up instead (it reads the files, runs the repository's
    tests, which lack the hidden ones, and finishes without an edit; run id `nofix-…`): real unresolved
    trajectories sharing the demonstrations' prompts, for preference-data experiments. `recoveries`:
    the shares of fixing demonstrations that recover from a mistake first (run id `…-r<s>-x<s>-f<s>-…`)."""
    if not instances:
        raise HarnessError("no instances to build demonstrations for")
    prepare_images(instances, sandbox == "docker", workers)
    prompts = Prompts(style=prompt)
    with ThreadPoolExecutor(max(1, workers)) as pool:
        scripts = list(pool.map(lambda i: _script(i, sandbox, prompts, test_command, fix, recoveries),
                                instances))
    split = instances[0].split if len({i.split for i in instances}) == 1 else None
    run_id = demo_run_id(instances[0].benchmark, split, fix, prompt, recoveries)
    agent = Agent(ReplayBackend("expert", scripts), Sampling(temperature=0), AgentConfig(prompt=prompt))
    config = {"kind": "demonstrations" if fix else "no-fix", "test_command": test_command, "sandbox": sandbox,
              "prompt": prompt, "recoveries": recoveries.names, "edit_recoveries": recoveries.edits,
              "format_recoveries": recoveries.formats}
    return rollout(instances, store, run_id, agent, 1, 0, workers, sandbox, config, root,
                   show_progress=show_progress)


def _script(instance: Instance, sandbox: str, prompts: Prompts, test_command: str | None,
            fix: bool = True, recoveries: Recoveries = Recoveries()) -> Trajectory:
    """The expert's turns for `instance`, as a recording the replay backend plays."""
    files = patch_files(instance.patch)
    with open_sandbox(sandbox, instance.public_view()) as box:
        base = {p: box.read_file(p) for p in files.modified + files.deleted}
    new = _apply(instance.patch, base) if fix else {}
    family = local_family(instance.benchmark)
    reproduction = family.reproduction(instance) if family else None
    mistake = recoveries.mistake(instance.instance_id) if fix and reproduction else None
    misedit = fix and bool(reproduction) and recoveries.misedits(instance.instance_id)
    turns = expert_turns(instance, base, new, test_command or _tests_for(instance), reproduction, mistake,
                         misedit)
    if fix and (draw := recoveries.garbled(instance.instance_id)) is not None:
        turns = garbling(turns, draw)
    issue = prompts.instance(instance.public_view())
    messages = [issue, *({"role": "assistant", "content": text} for text, _ in turns)]
    return Trajectory("expert", instance.instance_id, 0, 0, "expert", messages,
                      [Turn(None, None, 0, 0, "stop", 0.0, trained=trained) for _, trained in turns])


def expert_turns(instance: Instance, base: dict[str, str], new: dict[str, str | None],
                 test_command: str | None, reproduction: Reproduction | None = None,
                 mistake: str | None = None, misedit: bool = False) -> list[tuple[str, bool]]:
    """Assistant turns (a thought and one action each), with whether each is trained, that take the base
    files to the gold ones. With a `reproduction`, the expert first searches for the function the issue
    names, runs the reported call from the module the search found, reads the file from the function's
    first line to its end (`[start, -1]`: where the function ends is not in view yet, so a range ending
    there would be a guess no agent could learn), and runs the call again after the edit. A `mistake`
    of MISTAKES (with a reproduction) first imports a misnamed module or reads a misnamed file, untrained,
    then does it right, naming what the search found. `misedit`: the first edit first replaces the fixed
    line (what the agent writes for the line it read), untrained, then reads the file again and edits it."""
    at = lambda p: f"{instance.workdir}/{p}"  # noqa: E731
    turns: list[tuple[str, bool]] = []
    say = lambda thought, name, params, trained=True: turns.append(  # noqa: E731
        (f"{thought}\n\n" + render_text(Action(name, params)), trained))
    if reproduction:  # each step uses only what the issue and earlier observations show
        function, module = reproduction.function, reproduction.module
        say(f"Let me find `{function}`.", "search",
            {"search_term": f"def {function}", "path": instance.workdir})
        if mistake == "module":
            wrong = misnamed(module, instance.instance_id)
            say("Let me reproduce the issue.", "execute_bash", {"command": reproduction.importing(wrong)},
                False)
            say(f"There is no module `{wrong}`: the search found `{module}.py`.", "execute_bash",
                {"command": reproduction.command})
        else:
            say("Let me reproduce the issue.", "execute_bash", {"command": reproduction.command})
    def viewing(p: str) -> dict[str, str]:
        view = {"command": "view", "path": at(p)}
        if start := reproduction and _function_start(base[p], reproduction.function):
            view["view_range"] = f"[{start}, -1]"
        return view

    for n, p in enumerate(base):
        view = viewing(p)
        if mistake == "path" and reproduction and n == 0:  # one mistake a demonstration
            wrong = str(PurePosixPath(p).with_stem(misnamed(PurePosixPath(p).stem, instance.instance_id)))
            say(f"Let me read `{wrong}`, which the issue concerns.", "file_editor",
                {**view, "path": at(wrong)}, False)
            say(f"There is no `{wrong}`: the search found `{p}`.", "file_editor", view)
        else:
            say(f"Let me read `{p}`, which the issue concerns.", "file_editor", view)
    pending = misedit
    for path, content in new.items():
        if path not in base:
            say(f"`{path}` needs to exist.", "file_editor", {"command": "create", "path": at(path),
                                                           "file_text": content})
        elif content is None:
            say(f"`{path}` is no longer needed.", "execute_bash", {"command": f"rm {at(path)}"})
        else:
            for old, replacement in edits(base[path], content):
                edit, thought = {"command": "str_replace", "path": at(path)}, f"Now I change `{path}`."
                # the demonstration's first edit only: the file is still `base[path]`, so the fixed line is
                # surely not there to be replaced by mistake
                if pending and replacement.strip() and replacement not in base[path]:
                    say(thought, "file_editor", {**edit, "old_str": replacement, "new_str": old}, False)
                    say(f"`{path}` has no such line: let me read it again.", "file_editor", viewing(path))
                pending = False
                say(thought, "file_editor", {**edit, "old_str": old, "new_str": replacement})
    if reproduction and new:
        say("Let me run the call again.", "execute_bash", {"command": reproduction.command})
    if test_command:
        say("Let me run the tests.", "execute_bash", {"command": test_command})
    say("The change is complete.", "finish", {"message": "done"})
    return turns


def garbling(turns: list[tuple[str, bool]], draw: int) -> list[tuple[str, bool]]:
    """`turns` with the trained turn `draw` (modulo their count) first written without its call's opening
    tag, untrained: the loop answers it with its format error, then the turn comes right."""
    trained = [k for k, (_, kept) in enumerate(turns) if kept]
    k = trained[draw % len(trained)]
    text = turns[k][0]
    garbled = re.sub(r"<function=[^>\n]*>\n?", "", text, count=1)
    return [*turns[:k], (garbled, False), *turns[k:]]


def _function_start(text: str, function: str) -> int | None:
    """The 1-based line of a top-level `def function` (what the search showed)."""
    lines = enumerate(text.splitlines(), 1)
    return next((i for i, line in lines if line.startswith(f"def {function}(")), None)


def edits(old: str, new: str) -> list[tuple[str, str]]:
    """str_replace steps (old_str unique in the text at its turn) that turn `old` into `new`."""
    steps: list[tuple[str, str]] = []
    current = old
    for _ in range(len(old) + len(new) + 1):
        if current == new:
            return steps
        a, b = current.splitlines(keepends=True), new.splitlines(keepends=True)
        _, i1, i2, j1, j2 = next(op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
                                 if op[0] != "equal")
        for ctx in range(len(a) + 1):
            lo, hi = max(0, i1 - ctx), min(len(a), i2 + ctx)
            old_str = "".join(a[lo:hi])
            if old_str and current.count(old_str) == 1:
                break
        new_str = "".join(b[j1 - (i1 - lo): j2 + (hi - i2)])
        steps.append((old_str, new_str))
        current = current.replace(old_str, new_str, 1)
    raise HarnessError("could not derive edits for a gold patch")  # pragma: no cover - loop bound


def _apply(patch: str, base: dict[str, str]) -> dict[str, str | None]:
    """The gold contents of every file the patch touches (None: deleted), via `git apply`."""
    files = patch_files(patch)
    with tempfile.TemporaryDirectory(prefix="harness-demo-") as tmp:
        for path, content in base.items():
            (Path(tmp) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / path).write_text(content)
        done = subprocess.run(["git", "apply", "-"], input=patch, cwd=tmp, capture_output=True, text=True)
        if done.returncode:
            raise HarnessError(f"gold patch does not apply: {done.stderr.strip()[:200]}")
        read: Callable[[str], str | None] = lambda p: (  # noqa: E731
            None if p in files.deleted else (Path(tmp) / p).read_text())
        return {p: read(p) for p in files.all}


def _tests_for(instance: Instance) -> str | None:
    family = local_family(instance.benchmark)
    return family.library_spec(instance.instance_id).suite_command if family else None
