"""The roster CSV HR keeps: one row per learner (id, name, optional email)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..problems import ContentError, Problem

COLUMNS = ("id", "name")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    email: str = ""
    lang: str = "zh"      # the language the learner works in (optional column `lang`)


def read_roster(path: Path, shown: str | None = None) -> list[Learner]:
    shown = shown or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise ContentError([Problem(shown, 0, f"cannot read the roster: {err.strerror}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError([Problem(shown, 0, "the roster is not UTF-8 — save it as “CSV UTF-8” and try again")])
    if not text.strip():
        raise ContentError([Problem(shown, 1, "the roster is empty — the first row must be the header id,name[,email]")])
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ContentError([Problem(shown, 1, f"the header must have the columns id,name (optional email); missing"
                                              f" {', '.join(missing)} (found {', '.join(header)})")])
    learners, problems, seen = [], [], {}
    for row_number, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        learner_id = row.get("id", "")
        if not ID.match(learner_id):
            problems.append(Problem(shown, row_number, f"learner id '{learner_id}' must be letters, digits, '.', '_'"
                                                       " or '-' (it names a folder)"))
            continue
        if learner_id in seen:
            problems.append(Problem(shown, row_number, f"learner id '{learner_id}' appears twice (first at row"
                                                       f" {seen[learner_id]}) — each learner once"))
            continue
        lang = row.get("lang") or "zh"
        if lang not in ("zh", "en"):
            problems.append(Problem(shown, row_number, f"lang '{lang}' must be zh or en"))
            continue
        seen[learner_id] = row_number
        learners.append(Learner(learner_id, row.get("name", ""), row.get("email", ""), lang))
    if problems:
        raise ContentError(problems)
    return learners
