"""exercises/*.yaml -> Exercise, every mistake as `path:line: message — fix`."""

from __future__ import annotations

import re
from pathlib import Path

from ..course import LANGUAGES
from ..problems import ContentError, Problem, did_you_mean
from ..yamlfile import load_file
from .model import KINDS, STATUSES, Exercise, Option, Question

FORMAT_VERSION = 1
TOP = {"format_version", "name", "stage", "title", "intro", "questions"}
COMMON = {"id", "kind", "points", "prompt", "checkpoints"}
BY_KIND = {
    "single": {"options", "key"}, "multiple": {"options", "key"}, "order": {"options", "key"},
    "match": {"items", "options", "key"}, "scenario": {"scenario"}, "audit": {"scenario", "choices", "audit"},
    "prose": {"rubric"},
}
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_exercise(path: Path, shown: str, checkpoint_ids=None, scenario_ids=None) -> Exercise:
    data = load_file(path, shown)
    problems: list[Problem] = []

    def problem(line, message):
        problems.append(Problem(shown, line, message))

    def text(mapping, where):
        out = {}
        for lang in LANGUAGES:
            value = mapping.get(lang) if isinstance(mapping, dict) else None
            if not isinstance(value, str) or not value.strip():
                problem(getattr(mapping, "line", 0), f"{where}: the '{lang}' text is missing")
            out[lang] = str(value or "").strip()
        return out

    if data.get("format_version") != FORMAT_VERSION:
        problem(data.line_of("format_version"), f"format_version must be {FORMAT_VERSION}")
        raise ContentError(problems)
    for key in data:
        if key not in TOP:
            problem(data.line_of(key), f"unknown key '{key}'{did_you_mean(key, TOP)}")
    questions, seen = [], {}
    for entry in data.get("questions") or []:
        qid = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        where = f"question '{qid}'"
        if not isinstance(entry, dict):
            problem(getattr(entry, "line", 0), "each question is a mapping with id, kind, points, prompt …")
            continue
        if not ID.match(qid):
            problem(entry.line, f"{where}: id must be lower-case letters, digits and '-'")
        if qid in seen:
            problem(entry.line, f"{where}: duplicate id (first at line {seen[qid]})")
        seen.setdefault(qid, entry.line)
        kind = entry.get("kind")
        if kind not in KINDS:
            problem(entry.line_of("kind"), f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}"
                                           f"{did_you_mean(kind, KINDS)}")
            continue
        allowed = COMMON | BY_KIND[kind]
        for key in entry:
            if key not in allowed:
                problem(entry.line_of(key), f"{where}: unknown key '{key}' for a {kind} question"
                                            f"{did_you_mean(key, allowed)}")
        points = entry.get("points")
        if not isinstance(points, (int, float)) or points <= 0:
            problem(entry.line_of("points"), f"{where}: points must be a positive number")
            points = 0
        for cp in entry.get("checkpoints") or []:
            if checkpoint_ids is not None and cp not in checkpoint_ids:
                problem(entry.line_of("checkpoints"), f"{where}: unknown checkpoint '{cp}'"
                                                      f"{did_you_mean(cp, checkpoint_ids)}")
        options = tuple(Option(str(o.get("id")), text(o, f"{where} option {o.get('id')}"), o.line)
                        for o in entry.get("options") or [] if isinstance(o, dict))
        items = tuple(Option(str(o.get("id")), text(o, f"{where} item {o.get('id')}"))
                      for o in entry.get("items") or [] if isinstance(o, dict))
        key = entry.get("key")
        option_ids = [o.id for o in options]
        line = entry.line_of("key")
        if kind in ("single", "multiple", "order", "match") and len(options) < 2:
            problem(entry.line, f"{where}: give at least 2 options")
        if kind == "single" and key not in option_ids:
            problem(line, f"{where}: key '{key}' is not one of the options {', '.join(option_ids)}")
        if kind == "multiple" and (not isinstance(key, list) or not key or set(key) - set(option_ids)):
            problem(line, f"{where}: key must be a list of option ids from {', '.join(option_ids)}")
        if kind == "order" and (not isinstance(key, list) or sorted(key) != sorted(option_ids)):
            problem(line, f"{where}: key must list every option id exactly once, in the right order")
        if kind == "match":
            item_ids = [i.id for i in items]
            if not isinstance(key, dict) or sorted(key) != sorted(item_ids) or set(key.values()) - set(option_ids):
                problem(line, f"{where}: key must map every item ({', '.join(item_ids)}) to an option"
                              f" ({', '.join(option_ids)})")
        scenario = entry.get("scenario")
        if kind in ("scenario", "audit") and scenario_ids is not None and scenario not in scenario_ids:
            problem(entry.line_of("scenario"), f"{where}: no scenario '{scenario}'{did_you_mean(scenario, scenario_ids)}")
        audit = tuple(entry.get("audit") or ())
        if kind == "audit":
            if not audit:
                problem(entry.line, f"{where}: list the checkpoints to judge under `audit:`")
            for cp in audit:
                if checkpoint_ids is not None and cp not in checkpoint_ids:
                    problem(entry.line_of("audit"), f"{where}: unknown checkpoint '{cp}'"
                                                    f"{did_you_mean(cp, checkpoint_ids)}")
        rubric = None
        if kind == "prose":
            raw = entry.get("rubric") if isinstance(entry.get("rubric"), dict) else {}
            rubric = {lang: list(raw.get(lang) or []) for lang in LANGUAGES}
            for lang in LANGUAGES:
                if not rubric[lang]:
                    problem(entry.line_of("rubric"), f"{where}: the '{lang}' rubric is missing — list what the"
                                                     " grader looks for")
        questions.append(Question(qid, kind, float(points), text(entry.get("prompt") or {}, f"{where} prompt"),
                                  tuple(entry.get("checkpoints") or ()), options, items, key, scenario,
                                  tuple(entry.get("choices") or ()), audit, rubric, entry.line))
    name = str(data.get("name", path.stem))
    if problems:
        raise ContentError(problems)
    return Exercise(name, shown, data.get("stage"), text(data.get("title") or {}, "title"),
                    text(data.get("intro") or {}, "intro"), tuple(questions))


def audit_key(question: Question, scenario) -> dict:
    """The statuses the audited run really has: computed by the engine, written into hidden tests."""
    from ..scenario import Dialogue

    dialogue = Dialogue(scenario, "zh")
    for number in question.choices:
        dialogue.choose(number - 1)
    statuses = dialogue.checkpoints
    return {cp: statuses.get(cp, "missed") for cp in question.audit if statuses.get(cp, "missed") in STATUSES}
