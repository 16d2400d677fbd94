"""The embedded tiny model: deterministic offline build, cache location, chat template masks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from threads import in_threads
from transformers import AutoTokenizer

from harness import paths
from harness.backends import tiny
from harness.backends.tiny import build_tiny_model, resolve_model
from harness.errors import BadInput

CONVERSATION = [
    {"role": "system", "content": "You fix bugs."},
    {"role": "user", "content": "Fix parse() in cronex."},
    {"role": "assistant", "content": "Looking at the code.", "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "bash", "arguments": '{"cmd": "ls"}'}},
    ]},
    {"role": "tool", "tool_call_id": "c1", "content": "cronex.py\ntests/"},
    {"role": "assistant", "content": "def parse(expr):\n    return expr.split()"},
]


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_two_builds_are_identical(tiny_model_dir: Path, tmp_path: Path) -> None:
    again = build_tiny_model(tmp_path / "again")
    assert _files(again) == _files(tiny_model_dir)
    assert {"model.safetensors", "tokenizer.json", "config.json", "generation_config.json"} <= set(
        _files(again)
    )
    # the cache is shared: save_pretrained's 0600 weights would be unreadable to its other users
    assert {p.stat().st_mode & 0o777 for p in again.iterdir()} == {0o644}


def test_a_kept_vocabulary_rebuilds_the_same_model_without_reading_the_corpus(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`harness pretrain` keeps the shipped agent's tokenizer: an edit to a file of the tokenizer's corpus
    must not renumber tokens, or every token starts from other seeded weights (a new draw of the agent)."""
    key = tiny._key(tiny_model_dir)
    monkeypatch.setattr(tiny, "_files", lambda: pytest.fail("a kept vocabulary read the corpus's files"))
    assert tiny._key(tiny_model_dir) == key
    kept = build_tiny_model(tmp_path / "kept", vocabulary=tiny_model_dir)
    assert _files(kept) == _files(tiny_model_dir)  # same tokenizer, so the same weights, byte for byte
    with pytest.raises(BadInput, match="no tokenizer.json in"):
        build_tiny_model(tmp_path / "none", vocabulary=tmp_path)


def test_config_and_special_tokens(tiny_model_dir: Path) -> None:
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    config = json.loads((tiny_model_dir / "config.json").read_text())
    generation = json.loads((tiny_model_dir / "generation_config.json").read_text())
    im_end, pad = tok.convert_tokens_to_ids(["<|im_end|>", "<|endoftext|>"])
    assert len(tok) == config["vocab_size"] == 4096
    assert (tok.eos_token, tok.pad_token) == ("<|im_end|>", "<|endoftext|>")
    assert (config["eos_token_id"], config["pad_token_id"], config["bos_token_id"]) == (im_end, pad, pad)
    assert generation["eos_token_id"] == im_end
    assert (config["hidden_size"], config["num_hidden_layers"], config["head_dim"]) == (64, 2, 16)
    assert config["tie_word_embeddings"] is True
    ids = tok("<|im_start|>user\nhi<|im_end|>")["input_ids"]
    assert tok.decode(ids, skip_special_tokens=True) == "user\nhi"


def test_an_identifier_has_the_same_tokens_wherever_it_stands(tiny_model_dir: Path) -> None:
    """Copying a name from the issue into an action must be a token-for-token copy: no piece joins the
    letters to the space, backtick or bracket before them."""
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    name = tok("penuto_percent")["input_ids"]
    for text in ("def penuto_percent(", "`penuto_percent(3)` returned", "import penuto_percent",
                 "x = mod.penuto_percent", "\n    penuto_percent"):
        ids = tok(text)["input_ids"]
        assert any(ids[i:i + len(name)] == name for i in range(len(ids))), text
    code = "def f(a, b):\n    return a  +  b\n"
    assert tok.decode(tok(code)["input_ids"]) == code


def test_a_made_up_name_is_written_in_its_syllables_and_other_words_keep_theirs(tiny_model_dir: Path) -> None:
    """swe-gen's names are consonant-vowel syllables: each becomes a token of its own (70 frequent tokens
    write every name), while words that are not made only of them keep the pieces BPE learnt."""
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    pieces = lambda text: tok.convert_ids_to_tokens(tok(text)["input_ids"])  # noqa: E731
    assert pieces("monubu_archive") == ["mo", "nu", "bu", "_", "archive"]
    assert pieces("last_muvisas") == ["last", "_", "mu", "vi", "sa", "s"]  # a plural name keeps its s
    for word in ("def", "value", "create", "return"):
        assert len(pieces(word)) == 1, word


def test_assistant_mask_covers_exactly_the_assistant_turns(tiny_model_dir: Path) -> None:
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    enc = tok.apply_chat_template(CONVERSATION, return_assistant_tokens_mask=True, return_dict=True)
    ids, mask = enc["input_ids"], enc["assistant_masks"]
    spans, current = [], []
    for token, keep in zip(ids, mask, strict=True):
        if keep:
            current.append(token)
        elif current:
            spans.append(tok.decode(current))
            current = []
    assert not current  # the conversation ends with "\n", outside the mask
    assert spans == [
        'Looking at the code.\n<tool_call>\n{"name": "bash", "arguments": {"cmd": "ls"}}\n</tool_call>'
        "<|im_end|>",
        "def parse(expr):\n    return expr.split()<|im_end|>",
    ]


def test_generation_prompt_opens_an_assistant_turn(tiny_model_dir: Path) -> None:
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    text = tok.apply_chat_template(CONVERSATION[:2], add_generation_prompt=True, tokenize=False)
    assert text == (
        "<|im_start|>system\nYou fix bugs.<|im_end|>\n<|im_start|>user\nFix parse() in cronex.<|im_end|>\n"
        "<|im_start|>assistant\n"
    )


def test_resolve_model_builds_tiny_under_the_cache_root(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "CACHE", tmp_path)
    path = Path(resolve_model("tiny"))
    assert path.parent == tmp_path / "models" and path.name.startswith("tiny-qwen3-")
    assert _files(path) == _files(tiny_model_dir)
    monkeypatch.setattr(tiny, "_build", lambda *a: pytest.fail("a cached model was rebuilt"))
    assert Path(resolve_model("tiny")) == path
    assert resolve_model("Qwen/Qwen3-8B") == "Qwen/Qwen3-8B"


def test_concurrent_builders_leave_one_complete_model(tiny_model_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "shared"
    results = in_threads(lambda _: build_tiny_model(dest), 3)
    assert results == [dest] * 3
    assert _files(dest) == _files(tiny_model_dir)
    assert [p.name for p in tmp_path.iterdir()] == ["shared"]  # no temporary directory left behind


def test_force_replaces_a_damaged_model(tiny_model_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "model"
    dest.mkdir()
    (dest / "config.json").write_text("{}")
    assert _files(build_tiny_model(dest)) == {"config.json": b"{}"}  # present: kept as is
    assert _files(build_tiny_model(dest, force=True)) == _files(tiny_model_dir)
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_missing_shipped_agent_is_one_clear_error(tmp_path, monkeypatch) -> None:
    from harness.backends import tiny
    from harness.errors import BadInput

    monkeypatch.setattr(tiny, "AGENT", tmp_path / "agent")
    with pytest.raises(BadInput, match="harness pretrain --out"):
        tiny.resolve_model("agent")
