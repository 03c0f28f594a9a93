"""Exercises: answer widgets save to answers.json, the scoring rules, and a released notebook run
top to bottom in a real kernel as a learner would run it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from perfcomm.course import Course
from perfcomm.exercise import scoring
from perfcomm.exercise.questions import released_view
from perfcomm.exercise.widgets import ask
from perfcomm.grading.release import course_exercises, release
from perfcomm.grading.workdir import Workdir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def stage1(tmp_path, monkeypatch):
    exercises, scenarios = course_exercises(Course(ROOT))
    exercise = next(e for e in exercises if e.name == "stage1")
    (tmp_path / "questions.json").write_text(json.dumps(released_view(exercise, "en")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return exercise


def saved(path=Path("answers.json")) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def find(widget, kind):
    """Every descendant widget of a type, in order."""
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind)
    return found


def test_each_widget_saves_its_answer_at_once(stage1):
    import ipywidgets as w

    by_kind = {}
    for q in stage1.questions:
        by_kind.setdefault(q.kind, q)
    single = by_kind["single"]
    radio = find(ask(single.id), w.RadioButtons)[0]
    radio.value = radio.options[1]
    assert saved()[single.id] == single.options[1].id
    multiple = by_kind["multiple"]
    boxes = find(ask(multiple.id), w.Checkbox)
    boxes[0].value = True
    boxes[2].value = True
    assert saved()[multiple.id] == [multiple.options[0].id, multiple.options[2].id]
    order = by_kind["order"]
    pickers = find(ask(order.id), w.Dropdown)
    for picker, step in zip(pickers, reversed(order.key)):
        picker.value = step
    assert saved()[order.id] == list(reversed(order.key))
    match = by_kind["match"]
    pickers = find(ask(match.id), w.Dropdown)
    for picker in pickers:
        picker.value = match.options[0].id
    assert saved()[match.id] == {item.id: match.options[0].id for item in match.items}
    audit = by_kind["audit"]
    pickers = find(ask(audit.id), w.Dropdown)
    pickers[0].value = "violated"
    assert saved()[audit.id][audit.audit[0]] == "violated"
    # shown again (as at autograde), a widget starts from the saved answer and does not overwrite it
    again = find(ask(single.id), w.RadioButtons)[0]
    assert again.value == radio.options[1]
    assert saved()[single.id] == single.options[1].id


@pytest.mark.parametrize("kind, answer, key, points, expected", [
    ("single", "B", "B", 2, 2.0),
    ("single", "A", "B", 2, 0.0),
    ("multiple", ["A", "C"], ["A", "C", "D"], 3, 2.0),
    ("multiple", ["A", "B"], ["A", "C"], 2, 0.0),
    ("multiple", ["A", "C", "D"], ["A", "C"], 2, 1.0),
    ("order", ["A", "B", "C", "D"], ["A", "B", "C", "D"], 2, 2.0),
    ("order", ["B", "A", "C", "D"], ["A", "B", "C", "D"], 3, 2.5),
    ("order", ["D", "C", "B", "A"], ["A", "B", "C", "D"], 2, 0.0),
    ("order", ["A", "B"], ["A", "B", "C"], 2, 0.0),
    ("match", {"x": "T", "y": "P", "z": "Q"}, {"x": "T", "y": "P", "z": "D"}, 3, 2.0),
    ("single", None, "B", 2, 0.0),
    ("match", "not a mapping", {"x": "T"}, 3, 0.0),
], ids=lambda v: str(v))
def test_scoring_rules_give_partial_credit(tmp_path, monkeypatch, kind, answer, key, points, expected):
    monkeypatch.chdir(tmp_path)
    Path("answers.json").write_text(json.dumps({"q": answer}), encoding="utf-8")
    assert getattr(scoring, kind)("q", key, points) == expected


@pytest.mark.parametrize("kind, key", [("single", "B"), ("multiple", ["A", "C"]), ("order", ["A", "B"]),
                                       ("match", {"x": "T"}), ("audit", {"x": "met"})], ids=lambda v: str(v))
def test_an_answer_nested_past_the_recursion_limit_earns_nothing(tmp_path, monkeypatch, kind, key):
    """A forged answers file nested just within what Python's JSON parser takes, or far past it,
    earns 0 and raises nothing: a traceback in feedback would print the hidden test, key and all."""
    monkeypatch.chdir(tmp_path)
    limit = sys.getrecursionlimit()
    for depth in [*range(limit - 200, limit, 25), 100_000]:
        nested = "[" * depth + "]" * depth
        value = f'{{"x": {nested}}}' if kind in ("match", "audit") else nested
        Path("answers.json").write_text(f'{{"q": {value}}}', encoding="utf-8")
        assert getattr(scoring, kind)("q", key, 2) == 0.0, depth


def test_a_forged_or_unfinished_run_earns_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PERFCOMM_COURSE", str(ROOT))
    (tmp_path / "runs").mkdir()
    forged = {"scenario": "s1-new-hire-goals", "score": 5,
              "saved": {"version": 1, "scenario": "s1-new-hire-goals", "lang": "zh", "seed": 0, "picks": [0],
                        "node": "end-good", "values": {}}}
    (tmp_path / "runs" / "s1-new-hire-goals.json").write_text(json.dumps(forged), encoding="utf-8")
    assert scoring.scenario("s1-new-hire-goals", 5, best=5) == 0.0
    assert scoring.scenario("s2-overloaded-veteran", 5, best=7) == 0.0  # no run saved at all


@pytest.mark.slow
def test_released_notebook_runs_top_to_bottom_for_a_learner(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFCOMM_COURSE", str(ROOT))
    workdir = Workdir(tmp_path / "work")
    workdir.write_config(Course(ROOT), None)
    release(Course(ROOT), workdir, ["stage2-en"], say=lambda *_: None)
    learner = tmp_path / "learner"
    shutil.copytree(workdir.folder("release") / "stage2-en", learner)
    notebook = nbformat.read(learner / "stage2-en.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(learner)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error" or o.get("name") == "stderr"]
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == sum(1 for c in notebook.cells if c.cell_type == "code"
                               and any(call in c.source for call in ("ask(", "play(", "show_transcript(", "hand_in(")))
    prompts = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-prompt")]
    assert prompts and all(c.source.startswith("## ") and len(c.source) > 40 for c in prompts)
    assert not os.path.exists(learner / "answers.json")  # running does not invent answers
