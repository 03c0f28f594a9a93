"""The checkpoint catalogue: the article's checkpoints with stable ids, zh and en text, and stage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .course import LANGUAGES
from .problems import ContentError, Problem, did_you_mean
from .yamlfile import load_file

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    id: str
    stage: int
    text: dict  # language -> text
    line: int
    name: dict | None = None  # language -> short name, shown where the full text is too long


@dataclass(frozen=True)
class Catalogue:
    path: str
    stages: dict  # stage number -> {lang: title}
    checkpoints: tuple

    def __contains__(self, cp_id: str) -> bool:
        return any(cp.id == cp_id for cp in self.checkpoints)

    def get(self, cp_id: str) -> Checkpoint | None:
        return next((cp for cp in self.checkpoints if cp.id == cp_id), None)

    def ids(self) -> list[str]:
        return [cp.id for cp in self.checkpoints]

    def of_stage(self, stage: int) -> list[Checkpoint]:
        return [cp for cp in self.checkpoints if cp.stage == stage]

    def unknown(self, cp_id: str) -> str:
        """Message for a reference to a checkpoint id that does not exist."""
        return f"unknown checkpoint '{cp_id}'{did_you_mean(cp_id, self.ids()) or ' — see ' + self.path}"


def load_catalogue(path: Path, shown: str) -> Catalogue:
    data = load_file(path, shown)
    problems: list[Problem] = []
    if data.get("format_version") != FORMAT_VERSION:
        problems.append(Problem(shown, data.line_of("format_version"),
                                f"format_version must be {FORMAT_VERSION}"))
    stages = data.get("stages") or {}
    for number, titles in stages.items():
        for lang in LANGUAGES:
            if not isinstance(titles, dict) or not titles.get(lang):
                problems.append(Problem(shown, stages.line_of(number),
                                        f"stage {number}: title missing in '{lang}' — add `{lang}: …`"))
    seen: dict[str, int] = {}
    checkpoints = []
    for index, item in enumerate(data.get("checkpoints") or []):
        line = getattr(item, "line", 0)
        if not isinstance(item, dict):
            problems.append(Problem(shown, line, "each checkpoint is a mapping with id, stage, zh, en"))
            continue
        cp_id = str(item.get("id", ""))
        if not ID_PATTERN.match(cp_id):
            problems.append(Problem(shown, line, f"checkpoint id '{cp_id}' must be lower-case words joined by '-'"))
        if cp_id in seen:
            problems.append(Problem(shown, line, f"duplicate checkpoint id '{cp_id}' (first at line {seen[cp_id]})"
                                                 " — ids must be unique"))
        seen.setdefault(cp_id, line)
        stage = item.get("stage")
        if stage not in stages:
            problems.append(Problem(shown, item.line_of("stage"),
                                    f"checkpoint '{cp_id}': stage {stage!r} is not one of {sorted(stages)}"))
        for lang in LANGUAGES:
            if not str(item.get(lang) or "").strip():
                problems.append(Problem(shown, line, f"checkpoint '{cp_id}': text missing in '{lang}'"
                                                     f" — add `{lang}: …`"))
        name = item.get("name")
        for lang in LANGUAGES:
            if not isinstance(name, dict) or not str(name.get(lang) or "").strip():
                problems.append(Problem(shown, item.line_of("name") if "name" in item else line,
                                        f"checkpoint '{cp_id}': short name missing in '{lang}' — add"
                                        f" `name: {{zh: …, en: …}}` (a few words, shown in lessons and debriefs)"))
        extra = set(item) - {"id", "stage", "name", *LANGUAGES}
        for key in sorted(extra, key=str):
            problems.append(Problem(shown, item.line_of(key), f"checkpoint '{cp_id}': unknown key '{key}'"
                                                              f"{did_you_mean(key, ['id', 'stage', 'name', *LANGUAGES])}"))
        checkpoints.append(Checkpoint(cp_id, stage, {lang: str(item.get(lang, "")) for lang in LANGUAGES}, line,
                                      {lang: str(name.get(lang, "")) for lang in LANGUAGES}
                                      if isinstance(name, dict) else None))
    if problems:
        raise ContentError(problems)
    return Catalogue(shown, dict(stages), tuple(checkpoints))
