"""The exam blueprint (exercises/exam.yaml) and the form each candidate gets from it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from ..course import LANGUAGES, Course
from ..problems import ContentError, Problem
from ..yamlfile import load_file
from .window import make_rules, moment, zone

DEFAULT_ZONE = "Asia/Shanghai"   # when exam.yaml names none

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
    window: dict = None  # {time_zone, opens, closes}: the sitting's default window (exam forms overrides it)

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
    for key, default in (("time_limit_minutes", 45), ("attempts", 1)):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            problems.append(Problem(shown, data.line_of(key), f"{key}: '{value}' must be a whole number above 0"))
    window = _window(data, problems, shown)
    if problems:
        raise ContentError(problems)
    return Blueprint(str(data.get("name", "certification")), dict(data["title"]), dict(data["intro"]),
                     int(data.get("time_limit_minutes", 45)), float(mark), int(data.get("attempts", 1)), tuple(draw),
                     window)


def _window(data, problems: list, shown: str) -> dict:
    """exam.yaml's optional `window: {opens, closes, time_zone}`, checked; {time_zone, opens, closes}."""
    given = data.get("window")
    if given is not None and (not isinstance(given, dict) or set(given) - {"opens", "closes", "time_zone"}):
        problems.append(Problem(shown, data.line_of("window"), "window: write it as `{opens: 2026-12-01T09:00,"
                                                                   " closes: 2026-12-01T12:00, time_zone:"
                                                                   " Asia/Shanghai}`; each may be left out"))
        given = None
    given = given or {}
    line = (lambda key: given.line_of(key)) if hasattr(given, "line_of") else (lambda key: data.line_of("window"))
    window = {"time_zone": str(given.get("time_zone") or DEFAULT_ZONE), "opens": given.get("opens"),
              "closes": given.get("closes")}
    found = len(problems)
    try:
        zone(window["time_zone"])
    except ValueError as err:
        problems.append(Problem(shown, line("time_zone"), f"window: {err}"))
        return window
    for key in ("opens", "closes"):
        if window[key] not in (None, ""):
            try:
                moment(window[key], window["time_zone"])
            except ValueError as err:
                problems.append(Problem(shown, line(key), f"window: {key} {err}"))
    if len(problems) == found:
        try:
            make_rules(window["time_zone"], 1, window["opens"], window["closes"])
        except ValueError as err:
            problems.append(Problem(shown, line("closes"), f"window: {err}"))
    return window


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
