"""The answers file: every click a learner makes is saved at once to answers.json beside the
notebook, so answers survive nbgrader re-running the notebook at autograde."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .questions import read_text

ANSWERS_FILE = "answers.json"


def answers_path() -> Path:
    return Path(os.environ.get("PERFCOMM_ANSWERS", ANSWERS_FILE))


def load() -> dict:
    path = answers_path()
    try:
        data = json.loads(read_text(path))
    except (OSError, ValueError, RecursionError):   # nested deeper than the parser goes: forged
        return {}
    return data if isinstance(data, dict) else {}


def save(question: str, value) -> None:
    data = load()
    data[question] = value
    path = answers_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def get(question: str, default=None):
    return load().get(question, default)
