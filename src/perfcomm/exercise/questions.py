"""The released question texts (questions.json beside the notebook): prompts and options in one
language, never the keys."""

from __future__ import annotations

import json
from pathlib import Path

QUESTIONS_FILE = "questions.json"


def load(path: Path | None = None) -> dict:
    return json.loads(Path(path or QUESTIONS_FILE).read_text(encoding="utf-8"))


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
