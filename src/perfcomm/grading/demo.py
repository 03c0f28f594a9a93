"""A synthetic cohort of varied quality, answered the way a learner answers (widgets → answers.json,
scenario runs → runs/, prose in its cells), for rehearsal, tests and benchmarks."""

from __future__ import annotations

import json
import random
from pathlib import Path

import nbformat

from ..exercise.model import STATUSES
from ..scenario import Dialogue
from ..yamlfile import load_file

PROSE_FILE = "grader/demo-answers.yaml"


def _answer(question, rng: random.Random, quality: float, audit_keys: dict):
    ids = [o.id for o in question.options]
    if question.kind == "single":
        wrong = [i for i in ids if i != question.key]
        return question.key if rng.random() < quality else rng.choice(wrong)
    if question.kind == "multiple":
        right = set(question.key)
        return [i for i in ids if rng.random() < (quality if i in right else (1 - quality) / 2)]
    if question.kind == "order":
        steps = list(question.key)
        for _ in range(round((1 - quality) * len(steps))):
            a = rng.randrange(len(steps) - 1)
            steps[a], steps[a + 1] = steps[a + 1], steps[a]
        return steps
    if question.kind == "match":
        return {item: (question.key[item] if rng.random() < quality else rng.choice(ids)) for item in question.key}
    if question.kind == "audit":
        key = audit_keys[question.id]
        return {cp: (status if rng.random() < quality else rng.choice([s for s in STATUSES if s != status]))
                for cp, status in key.items()}
    return None


def _play(scenario, lang: str, rng: random.Random, quality: float) -> dict:
    """A run where a stronger learner more often picks a choice that meets and violates nothing."""
    dialogue = Dialogue(scenario, lang)
    steps = 0
    while not dialogue.finished and steps < 60:
        node = scenario.nodes[dialogue.state.node]
        offered = dialogue.choices
        good = [o for o in offered if node.choices[o.index].meets and not node.choices[o.index].violates]
        pick = rng.choice(good) if good and rng.random() < quality else rng.choice(offered)
        dialogue.choose(pick.number)
        steps += 1
    result = dialogue.result()
    result["saved"] = json.loads(dialogue.save())
    return result


def write_submission(folder: Path, released: Path, exercise, lang: str, scenarios: dict, quality: float,
                     rng: random.Random, prose: dict, audit_keys: dict) -> None:
    """One learner's submission folder: the notebook, answers.json and runs/."""
    folder.mkdir(parents=True, exist_ok=True)
    answers = {}
    for question in exercise.questions:
        value = _answer(question, rng, quality, audit_keys)
        if value is not None:
            answers[question.id] = value
        if question.kind == "scenario":
            run = _play(scenarios[question.scenario], lang, rng, quality)
            (folder / "runs").mkdir(exist_ok=True)
            (folder / "runs" / f"{question.scenario}.json").write_text(json.dumps(run, ensure_ascii=False),
                                                                       encoding="utf-8")
    (folder / "answers.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    notebook = nbformat.read(released / f"{exercise.assignment(lang)}.ipynb", as_version=4)
    level = "strong" if quality > 0.75 else "fair" if quality > 0.4 else "weak"
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "markdown":
            cell.source = prose[level][lang].strip()
    nbformat.write(notebook, folder / f"{exercise.assignment(lang)}.ipynb")


def load_prose(course_root: Path) -> dict:
    return load_file(course_root / PROSE_FILE, PROSE_FILE)


def prose_score(text: str, points: float, prose: dict, lang: str) -> float:
    """What the demo's stand-in HR grader gives a prose answer (the rubric applied by a person)."""
    for level, share in (("strong", 0.9), ("fair", 0.5), ("weak", 0.1)):
        if text.strip() == prose[level][lang].strip():
            return round(points * share, 1)
    return 0.0
