"""The item bank: exercises/bank/*.yaml -> Item, every mistake as `path:line: message — fix`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..course import LANGUAGES, Course
from ..problems import ContentError, Problem, did_you_mean
from ..scenario.model import SPEAKERS
from ..yamlfile import load_file

FORMAT_VERSION = 1
KINDS = ("single", "multiple", "order")
DIFFICULTIES = ("easy", "medium", "hard")
ITEM_KEYS = {"id", "stage", "kind", "checkpoints", "difficulty", "prompt", "excerpt", "options", "key"}
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Option:
    id: str
    text: dict
    feedback: dict
    line: int = 0


@dataclass(frozen=True)
class Item:
    id: str
    stage: int
    kind: str
    checkpoints: tuple
    difficulty: str
    prompt: dict
    excerpt: tuple          # ((speaker, {lang: text}), …)
    options: tuple
    key: object             # str | list
    path: str = ""
    line: int = 0

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)


def bank_files(course: Course):
    folder = course.root / "exercises" / "bank"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _texts(mapping, where, problem) -> dict:
    out = {}
    for lang in LANGUAGES:
        value = mapping.get(lang) if isinstance(mapping, dict) else None
        if not isinstance(value, (str, int, float)) or not str(value).strip():
            problem(getattr(mapping, "line", 0), f"{where}: the '{lang}' text is missing")
        out[lang] = str(value or "").strip()
    if isinstance(mapping, dict):
        for key in mapping:
            if key not in LANGUAGES and key not in ("id", "feedback", "speaker"):
                problem(mapping.line_of(key), f"{where}: unexpected '{key}' — text cut at ', ' or ': '? quote it")
    return out


def load_bank_file(path: Path, shown: str, checkpoint_ids, stages) -> tuple[list[Item], list[Problem]]:
    problems: list[Problem] = []

    def problem(line, message):
        problems.append(Problem(shown, line, message))

    try:
        data = load_file(path, shown)
    except ContentError as err:
        return [], err.problems
    if data.get("format_version") != FORMAT_VERSION:
        problem(data.line_of("format_version"), f"format_version must be {FORMAT_VERSION}")
        return [], problems
    items = []
    for entry in data.get("items") or []:
        if not isinstance(entry, dict):
            problem(getattr(entry, "line", 0), "each item is a mapping with id, stage, kind, …")
            continue
        iid = str(entry.get("id", ""))
        where = f"item '{iid}'"
        if not ID.match(iid):
            problem(entry.line, f"{where}: id must be lower-case letters, digits and '-'")
        for key in entry:
            if key not in ITEM_KEYS:
                problem(entry.line_of(key), f"{where}: unknown key '{key}'{did_you_mean(key, ITEM_KEYS)}")
        for key in ("stage", "kind", "difficulty", "prompt", "options", "key"):
            if key not in entry:
                problem(entry.line, f"{where}: missing key '{key}'")
        kind = entry.get("kind")
        if kind not in KINDS:
            problem(entry.line_of("kind"), f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
        if entry.get("stage") not in stages:
            problem(entry.line_of("stage"), f"{where}: stage {entry.get('stage')!r} is not one of {sorted(stages)}")
        if entry.get("difficulty") not in DIFFICULTIES:
            problem(entry.line_of("difficulty"), f"{where}: difficulty must be one of {', '.join(DIFFICULTIES)}")
        cps = entry.get("checkpoints") or []
        if not cps:
            problem(entry.line, f"{where}: name the checkpoints it tests under `checkpoints:`")
        for cp in cps:
            if cp not in checkpoint_ids:
                problem(entry.line_of("checkpoints"), f"{where}: unknown checkpoint '{cp}'"
                                                      f"{did_you_mean(cp, checkpoint_ids)}")
        options = []
        for raw in entry.get("options") or []:
            oid = str(raw.get("id", "")) if isinstance(raw, dict) else ""
            feedback = raw.get("feedback") if isinstance(raw, dict) else None
            if not feedback:
                problem(getattr(raw, "line", entry.line), f"{where} option {oid}: feedback is missing — say why"
                                                          " it is right or wrong, in zh and en")
            options.append(Option(oid, _texts(raw, f"{where} option {oid}", problem),
                                  _texts(feedback or {}, f"{where} option {oid} feedback", problem),
                                  getattr(raw, "line", 0)))
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids):
            problem(entry.line_of("options"), f"{where}: option ids repeat")
        key, line = entry.get("key"), entry.line_of("key")
        letters = f"{ids[0]}–{ids[-1]}" if ids else "—"
        if kind == "single" and key not in ids:
            problem(line, f"{where}: key '{key}' is not one of the options {letters}")
        if kind == "multiple" and (not isinstance(key, list) or not key or any(k not in ids for k in key)):
            problem(line, f"{where}: key must be a list of option ids ({letters})")
        if kind == "order" and (not isinstance(key, list) or sorted(map(str, key)) != sorted(ids)):
            problem(line, f"{where}: key must list every option id once, in the right order")
        excerpt = []
        for raw in entry.get("excerpt") or []:
            if not isinstance(raw, dict) or raw.get("speaker") not in SPEAKERS:
                problem(getattr(raw, "line", entry.line), f"{where}: excerpt lines need a speaker"
                                                          f" ({', '.join(SPEAKERS)}) and zh/en text")
                continue
            excerpt.append((raw["speaker"], _texts(raw, f"{where} excerpt", problem)))
        items.append(Item(iid, entry.get("stage"), kind, tuple(cps), entry.get("difficulty"),
                          _texts(entry.get("prompt") or {}, f"{where} prompt", problem), tuple(excerpt),
                          tuple(options), key, shown, entry.line))
    return items, problems


def load_bank(course: Course, catalogue) -> tuple[list[Item], list[Problem]]:
    items, problems, seen = [], [], {}
    for path in bank_files(course):
        shown = course.rel(path)
        found, more = load_bank_file(path, shown, catalogue.ids(), catalogue.stages)
        problems += more
        for item in found:
            if item.id in seen:
                problems.append(Problem(shown, item.line, f"item '{item.id}': duplicate id (also at {seen[item.id]})"))
                continue
            seen[item.id] = f"{shown}:{item.line}"
            items.append(item)
    return items, problems
