"""The released question texts (questions.json beside the notebook): prompts and options in one
language, never the keys."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

QUESTIONS_FILE = "questions.json"
# In the browser (JupyterLite) the kernel reads a file through the page; in the first moments
# after the kernel starts, the page can answer "not found" for a file that is there. A file known
# to be there is read again for up to TRIES × PAUSE seconds before the error is believed.
TRIES, PAUSE = 10, 0.3


def read_text(path: Path, surely_there: bool = False) -> str:
    """path's text; a miss of a file that exists (or surely_there) is retried in the browser."""
    for attempt in range(TRIES):
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if (sys.platform != "emscripten" or attempt == TRIES - 1
                    or not (surely_there or path.exists())):
                raise
            time.sleep(PAUSE)
    raise AssertionError("unreachable")


def load(path: Path | None = None) -> dict:
    return json.loads(read_text(Path(path or QUESTIONS_FILE), surely_there=True))


def released_view(exercise, lang: str, checkpoint_text: dict | None = None) -> dict:
    """What the learner's copy may hold: per question its kind, texts and options — no key."""
    out = {"assignment": exercise.name, "lang": lang, "questions": {}}
    for q in exercise.questions:
        entry = {"kind": q.kind, "points": q.points}
        if q.options:
            entry["options"] = [[o.id, o.text[lang]] for o in q.options]
        if q.items:
            entry["items"] = [[i.id, i.text[lang]] for i in q.items]
        if q.scenario:
            entry["scenario"] = q.scenario
        if q.kind == "audit":
            entry["choices"] = list(q.choices)
            entry["checkpoints"] = [[cp, (checkpoint_text or {}).get(cp, cp)] for cp in q.audit]
        out["questions"][q.id] = entry
    return out
