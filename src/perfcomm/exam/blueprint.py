"""The exam blueprint (exercises/exam.yaml) and the form each candidate gets from it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from ..course import LANGUAGES, Course
from ..problems import ContentError, Problem
from ..yamlfile import load_file

BLUEPRINT = "exercises/exam.yaml"


@dataclass(frozen=True)
class Blueprint:
    name: str
    title: dict
    intro: dict
    time_limit: int
    pass_mark: float
    attempts: int
    draw: tuple          # ((stage, count), …)

    @property
    def length(self) -> int:
        return sum(count for _, count in self.draw)


def load_blueprint(course: Course, bank, path: Path | None = None) -> Blueprint:
    """The course's blueprint, or the one at `path` (checked against the course's bank)."""
    path = Path(path) if path else course.root / BLUEPRINT
    shown = course.rel(path)
    data = load_file(path, shown)
    problems = []
    draw = []
    for index, rule in enumerate(data.get("draw") or []):
        line = data["draw"].line_of(index)
        if not isinstance(rule, dict):
            problems.append(Problem(shown, line, "draw: each rule is `{stage: N, items: COUNT}`"))
            continue
        pool = [i for i in bank if i.stage == rule.get("stage")]
        count = rule.get("items")
        if not isinstance(count, int) or count <= 0:
            problems.append(Problem(shown, line, "draw: items must be a positive whole number"))
        elif len(pool) < count:
            problems.append(Problem(shown, line, f"draw: stage {rule.get('stage')} asks for {count} items but the"
                                                     f" bank has {len(pool)} — add items or draw fewer"))
        draw.append((rule.get("stage"), count))
    mark = data.get("pass_mark")
    if not isinstance(mark, (int, float)) or not 0 < mark <= 1:
        problems.append(Problem(shown, data.line_of("pass_mark"), "pass_mark is a share of the points, e.g. 0.7"))
    for key in ("title", "intro"):
        for lang in LANGUAGES:
            if not (data.get(key) or {}).get(lang):
                problems.append(Problem(shown, data.line_of(key), f"{key}: the '{lang}' text is missing"))
    if problems:
        raise ContentError(problems)
    return Blueprint(str(data.get("name", "certification")), dict(data["title"]), dict(data["intro"]),
                     int(data.get("time_limit_minutes", 45)), float(mark), int(data.get("attempts", 1)), tuple(draw))


def draw_form(blueprint: Blueprint, bank, seed: int | str, candidate: str) -> list[dict]:
    """The candidate's form: per slot the item and the order its options are shown in.
    Within a stage, items are drawn so that as many different checkpoints as possible are tested."""
    rng = random.Random(f"{seed}:{candidate}")
    slots = []
    for stage, count in blueprint.draw:
        pool = sorted((i for i in bank if i.stage == stage), key=lambda i: i.id)
        rng.shuffle(pool)
        chosen, covered = [], set()
        for item in pool:                      # first pass: a new checkpoint each time
            if len(chosen) < count and not covered.issuperset(item.checkpoints):
                chosen.append(item)
                covered.update(item.checkpoints)
        for item in pool:                      # then fill up
            if len(chosen) < count and item not in chosen:
                chosen.append(item)
        for item in chosen:
            order = [o.id for o in item.options]
            if item.kind != "order":           # an ordering item's steps are already scrambled
                rng.shuffle(order)
            slots.append({"item": item.id, "stage": stage, "options": order})
    return slots
