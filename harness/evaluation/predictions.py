"""Read and validate a predictions file (.jsonl or .json) before anything is evaluated or stored."""

from __future__ import annotations

import json
from pathlib import Path

from harness.errors import BadInput
from harness.records import Prediction

_FORBIDDEN_IN_ID = ("/", "\\", "\x00")


def read_predictions(path: str | Path) -> list[Prediction]:
    """All predictions, or a one-line BadInput naming the file and line of the first problem."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"predictions file {path} does not exist")
    raw = path.read_bytes()
    if path.suffix == ".jsonl":
        rows = [(n, _json(path, n, line)) for n, line in enumerate(raw.split(b"\n"), 1) if line.strip()]
    elif path.suffix == ".json":
        data = _json(path, 1, raw)
        data = list(data.values()) if isinstance(data, dict) else data
        if not isinstance(data, list):
            raise BadInput(f"{path}: expected a list of predictions or a dict by instance id")
        rows = [(n, row) for n, row in enumerate(data, 1)]
    else:
        raise BadInput(f"{path}: predictions must be .jsonl or .json")
    seen: dict[tuple[str, int], int] = {}
    predictions = []
    for n, row in rows:
        pred = _prediction(path, n, row)
        if pred.key in seen:
            raise BadInput(
                f"{path}:{n}: duplicate prediction for {pred.instance_id} (sample_index "
                f"{pred.sample_index}, first on line {seen[pred.key]}); give candidates distinct sample_index"
            )
        seen[pred.key] = n
        predictions.append(pred)
    if not predictions:
        raise BadInput(f"{path}: no predictions")
    return predictions


def _json(path: Path, n: int, line: bytes):
    try:
        return json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}:{n}: not valid UTF-8 (byte {exc.start})") from exc
    except ValueError as exc:
        raise BadInput(f"{path}:{n}: not valid JSON ({exc})") from exc


def _prediction(path: Path, n: int, row: object) -> Prediction:
    where = f"{path}:{n}"
    if not isinstance(row, dict):
        raise BadInput(f"{where}: a prediction must be a JSON object")
    iid = row.get("instance_id")
    if not isinstance(iid, str) or not iid.strip():
        raise BadInput(f"{where}: missing instance_id")
    if any(c in iid for c in _FORBIDDEN_IN_ID) or iid in (".", ".."):
        raise BadInput(f"{where}: instance id {iid!r} contains a path separator")
    patch = row.get("model_patch") or ""
    if not isinstance(patch, str):
        raise BadInput(f"{where}: model_patch must be a string")
    try:
        patch.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadInput(f"{where}: model_patch is not valid UTF-8 (lone surrogate at {exc.start})") from exc
    model = row.get("model_name_or_path") or "model"
    index = row.get("sample_index", 0)
    if not isinstance(model, str) or not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise BadInput(f"{where}: model_name_or_path must be a string and sample_index an int >= 0")
    return Prediction(iid, patch, model, index)
