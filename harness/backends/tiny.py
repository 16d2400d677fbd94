"""The embedded default model "tiny": a 2-layer Qwen3-style LM and a 4k byte-level BPE tokenizer built
offline from the text the agent meets, so rollouts, training and tests run without any hub.

The build is deterministic (fixed seed, sorted corpus) and cached under the harness cache keyed by
a hash of this file, the corpus (or the tokenizer kept instead) and the library versions, so a
changed builder or corpus rebuilds.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

import harness
from harness import paths
from harness.errors import BadInput
from harness.files import share

log = logging.getLogger(__name__)

HARNESS = Path(harness.__file__).parent
ALIAS = "tiny"
# The tiny agent `harness pretrain` trained on swe-gen (weights, tokenizer and PRETRAIN.json, shipped).
AGENT_ALIAS, AGENT = "agent", HARNESS / "models" / "agent"
VOCAB_SIZE = 4096
VOCABULARIES = ("agent", "build")  # `harness pretrain --vocabulary`: keep the shipped agent's, or train one
# Qwen3 shapes on the same tokenizer: "tiny" (0.3M parameters: the untrained embedded default) and
# "agent" (4.0M: what `harness pretrain`-style SFT on swe-gen demonstrations trains from scratch).
SIZES = {
    "tiny": dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, head_dim=16),
    "agent": dict(hidden_size=256, intermediate_size=704, num_hidden_layers=4, num_attention_heads=4,
                  num_key_value_heads=2, head_dim=64),
}
SEED = 0
GEN_SAMPLE = 500  # swe-gen train tasks in the tokenizer's corpus
# Pre-tokenizer pieces: a run of letters, one digit, or a run of anything else (spaces and
# punctuation together, so code's ` = ` or `):\n    ` still merge into few tokens).
PIECES = r"[A-Za-z]+|[0-9]|[^A-Za-z0-9]+"
SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
PROMPTS = HARNESS / "agent" / "templates"
# swe-gen's generator: its source keys the build; its output is in the corpus
GENERATOR = tuple(HARNESS / "benchmarks" / "swe_gen" / f for f in ("generate.py", "templates.py"))

# Qwen-style turns. Assistant content and its closing <|im_end|> sit inside {% generation %}, so
# transformers' `return_assistant_tokens_mask=True` marks exactly the tokens the model must produce
# (including the stop token); the header and the newline after <|im_end|> stay outside.
CHAT_TEMPLATE = r"""{%- if tools %}
{{- '<|im_start|>system\n' }}
{%- if messages[0].role == 'system' %}{{- messages[0].content + '\n\n' }}{%- endif %}
{{- '# Tools\n\nYou may call functions. Their signatures:\n<tools>' }}
{%- for tool in tools %}{{- '\n' + (tool | tojson) }}{%- endfor %}
{{- '\n</tools>\n\nCall one as <tool_call>\n{"name": NAME, "arguments": ARGS}\n</tool_call>' }}
{{- '<|im_end|>\n' }}
{%- elif messages[0].role == 'system' %}
{{- '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
{%- endif %}
{%- for message in messages %}
{%- if message.role == 'assistant' %}
{{- '<|im_start|>assistant\n' }}
{%- generation %}
{{- message.content or '' }}
{%- for call in message.tool_calls or [] %}
{%- set f = call.function if call.function is defined else call %}
{%- set args = f.arguments if f.arguments is string else f.arguments | tojson %}
{{- ('\n' if message.content or not loop.first else '') + '<tool_call>\n' }}
{{- '{"name": ' + (f.name | tojson) + ', "arguments": ' + args + '}\n</tool_call>' }}
{%- endfor %}
{{- '<|im_end|>' }}
{%- endgeneration %}
{{- '\n' }}
{%- elif not (message.role == 'system' and loop.first) %}
{{- '<|im_start|>' + message.role + '\n' + (message.content or '') + '<|im_end|>\n' }}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\n' }}{%- endif %}
"""


def resolve_model(name: str) -> str:
    """The local directory of the alias "tiny" (built on first use) or "agent" (shipped); else `name`."""
    if name == ALIAS:
        return str(build_tiny_model())
    if name == AGENT_ALIAS:
        if not (AGENT / "model.safetensors").is_file():
            raise BadInput(f"the shipped agent is missing from {AGENT}: `harness pretrain --out {AGENT}` "
                           "makes it")
        return str(AGENT)
    return name


def model_key(name: str) -> str:
    """What run ids record for `name`: an alias stands for the files it resolves to, so a rebuilt tiny
    model or new shipped weights make new runs instead of reusing stored ones; other names as given."""
    if name == ALIAS:
        return f"{ALIAS}:{_key()}"
    weights = AGENT / "model.safetensors"
    if name == AGENT_ALIAS and weights.is_file():
        stat = weights.stat()
        return f"{AGENT_ALIAS}:{_file_sha(weights, stat.st_mtime_ns, stat.st_size)}"
    return name


@functools.lru_cache(maxsize=8)
def _file_sha(path: Path, _mtime_ns: int, _size: int) -> str:  # cached per version of the file
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def build_tiny_model(dest: Path | None = None, force: bool = False, size: str = "tiny",
                     vocabulary: Path | None = None) -> Path:
    """Build the tiny model (of `size`, one of SIZES) and tokenizer into `dest` (default: the cache)
    unless already there. `vocabulary`: a model folder whose tokenizer to keep instead of training one,
    so its token ids (and with them the seeded weights each token starts from) never move.

    Built in a sibling temporary directory and renamed into place, so readers never see a partial
    model and concurrent builders agree on one result (the loser discards its copy).
    """
    if size not in SIZES:
        raise BadInput(f"unknown tiny model size {size!r}; use one of {', '.join(SIZES)}")
    if vocabulary is not None and not (Path(vocabulary) / "tokenizer.json").is_file():
        raise BadInput(f"no tokenizer.json in {vocabulary} to keep the vocabulary of")
    key = _key(vocabulary)
    name = f"tiny-qwen3-{key}" if size == "tiny" else f"tiny-qwen3-{size}-{key}"
    dest = Path(dest) if dest is not None else paths.CACHE / "models" / name
    if dest.is_dir() and not force:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the cache is shared like any other
    try:
        _build(tmp, _kept(vocabulary) if vocabulary else _tokenizer(_corpus()), SIZES[size])
        if force and dest.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
            os.replace(dest, old / "model")
            shutil.rmtree(old)
        try:
            os.rename(tmp, dest)  # fails on a non-empty directory: someone else finished first
        except OSError:
            if not dest.is_dir():
                raise
            log.info("another process built %s first; keeping its copy", dest)
        else:
            log.info("built the tiny model in %s", dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _files() -> list[Path]:
    """The files the tokenizer reads, in a fixed order: swe-mini's libraries, the agent's prompts, its
    tool outputs (tools.py) and the expert's turns (demos.py). None of the rest of the harness's code,
    so the model stays the same across commits that do not touch these files."""
    from harness.benchmarks.swe_mini import REPOS

    files = sorted(REPOS.rglob("*.py")) + sorted(p for p in PROMPTS.rglob("*") if p.is_file())
    return files + [HARNESS / "agent" / "tools.py", HARNESS / "demos.py"]


def _corpus() -> list[str]:
    """The tokenizer's training text: the files, a sample of swe-gen's train split (modules, tests,
    issues, fixes: so its identifiers and reports take few tokens; no test-split task) and the chat
    template. Made only when building: generating the sample takes a second."""
    from harness.benchmarks.swe_gen.generate import generate

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in _files()]
    for task in generate(seed=0, train=GEN_SAMPLE, test=0):
        texts += [*task.base_files.values(), task.problem_statement, task.gold_patch]
    return texts + [CHAT_TEMPLATE]


def _key(vocabulary: Path | None = None) -> str:
    """What the build depends on: this file, the versions of the libraries used, and the tokenizer's
    source: the kept tokenizer, or the corpus's files and the generator's (what its sample is made from)."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for package in ("transformers", "tokenizers", "torch"):  # without importing them: run ids use this
        h.update(version(package).encode() + b"\0")
    sources = [Path(vocabulary) / "tokenizer.json"] if vocabulary else [*_files(), *GENERATOR]
    for path in sources:
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def _kept(vocabulary: Path):
    """The tokenizer saved in `vocabulary`, with this file's chat template (the vocabulary is pinned, the
    turn format is code)."""
    from tokenizers import Tokenizer

    return _wrapped(Tokenizer.from_file(str(Path(vocabulary) / "tokenizer.json")))


def _build(out: Path, tok, shape: dict[str, int]) -> None:
    """Seeded Qwen3 weights for tokenizer `tok` and a generation config, saved with `tok` into `out`."""
    import torch
    from transformers import GenerationConfig, Qwen3Config, Qwen3ForCausalLM

    pad, eos = tok.convert_tokens_to_ids(["<|endoftext|>", "<|im_end|>"])
    config = Qwen3Config(
        **shape, max_position_embeddings=65536, vocab_size=len(tok),
        tie_word_embeddings=True, bos_token_id=pad, eos_token_id=eos, pad_token_id=pad,
    )
    with torch.random.fork_rng(devices=[]):  # construction draws from the global RNG: leave it as it was
        model = Qwen3ForCausalLM(config).float()
    # Re-draw every matrix from a private generator: identical weights on every build, even when
    # builders run in parallel threads (the global RNG is shared). Norm weights stay at 1.
    gen = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for _, param in sorted(model.named_parameters()):
            if param.dim() > 1:
                param.normal_(0.0, config.initializer_range, generator=gen)
    model.generation_config = GenerationConfig(bos_token_id=pad, eos_token_id=eos, pad_token_id=pad)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    share(out)


def _tokenizer(texts: list[str]):
    """A byte-level BPE trained on `texts`, with the chat template. Letters never share a piece with
    the space before them (PIECES), so an identifier has the same tokens wherever it stands: copying
    a name from the issue into an action is a token-for-token copy (with GPT-2's pieces, `penuto` after
    a backtick and ` penuto` after `def` had no token in common)."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PIECES), behavior="isolated"),
        pre_tokenizers.Split(Regex(_syllables()), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    bpe.decoder = decoders.ByteLevel()
    bpe.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, special_tokens=list(SPECIAL_TOKENS), show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    bpe.train_from_iterator(texts, trainer)
    return _wrapped(bpe)


def _syllables() -> str:
    """A letter run made only of swe-gen's consonant-vowel syllables (its made-up names, and a few words
    such as `file`), with an optional plural `s`, split into those syllables: every name is then written
    with the same 70 frequent tokens. Without it BPE learnt ~2,000 pieces of made-up names (`monu` of
    `monubu`), most of them rare in training, and the agent could not write a name holding one."""
    from harness.benchmarks.swe_gen.generate import CONSONANTS, VOWELS

    syllable = f"[{CONSONANTS}][{VOWELS}]"
    return rf"\G{syllable}(?=(?:{syllable})*s?$)"  # \G: each match starts where the last one ended


def _wrapped(bpe):
    """`bpe` as the transformers tokenizer the model ships: its special tokens and the chat template."""
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(
        tokenizer_object=bpe, eos_token="<|im_end|>", pad_token="<|endoftext|>",
        chat_template=CHAT_TEMPLATE, model_max_length=65536,
    )
