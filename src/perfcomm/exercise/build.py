"""Exercise -> nbgrader source assignment: one notebook per language plus questions.json.

Cell layout per question: a locked prompt cell; a locked answer cell (a widget, a scenario player,
or for prose a manually graded Markdown cell); for autograded kinds a locked test cell whose
hidden block calls perfcomm.exercise.scoring with the key. nbgrader strips hidden blocks at release
and restores them at autograde; the prompt sits in its own cell so release cannot replace it."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from ..players.words import words
from .load import audit_key
from .model import Exercise, Question
from .questions import QUESTIONS_FILE, released_view

SCHEMA = 3
HAND_IN = "from perfcomm.exercise.handin import hand_in\nhand_in()"  # the zip to hand in, in the browser


def _meta(grade_id: str, *, grade=False, solution=False, locked=True, points=None) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": SCHEMA, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown_cell(source: str, grade_id: str, **kw):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata.update(_meta(grade_id, **kw))
    return cell


def code_cell(source: str, grade_id: str, **kw):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.update(_meta(grade_id, **kw))
    return cell


def hidden_test(question: Question, scenarios: dict) -> str:
    """The scoring call with its key; it exists only in the source notebook and the gradebook."""
    if question.kind == "scenario":
        from ..scenario.explore import explore

        best = explore(scenarios[question.scenario]).max_score
        return f"scoring.scenario({question.scenario!r}, {question.points}, best={best})"
    if question.kind == "audit":
        key = audit_key(question, scenarios[question.scenario])
        return f"scoring.audit({question.id!r}, {key!r}, {question.points})"
    return f"scoring.{question.kind}({question.id!r}, {question.key!r}, {question.points})"


def notebook(exercise: Exercise, lang: str, scenarios: dict):
    w = words(lang)["exercise"]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells = [
        markdown_cell(f"# {exercise.title[lang]}\n\n{exercise.intro[lang]}\n\n{w['how_to']}", "intro"),
        code_cell("from perfcomm.exercise.cells import ask, play, show_transcript", "setup"),
    ]
    for number, q in enumerate(exercise.questions, 1):
        heading = w["question"].format(n=number, points=f"{q.points:g}")
        hint = w["hint_" + q.kind]
        cells.append(markdown_cell(f"## {heading}\n\n{q.prompt[lang]}\n\n*{hint}*", f"{q.id}-prompt"))
        if q.kind == "prose":
            cells.append(markdown_cell(w["prose_stub"], q.id, grade=True, solution=True, locked=False, points=q.points))
            continue
        if q.kind == "scenario":
            cells.append(code_cell(f"play({q.scenario!r}, lang={lang!r})", f"{q.id}-answer"))
        elif q.kind == "audit":
            cells.append(code_cell(f"show_transcript({q.id!r})", f"{q.id}-transcript"))
            cells.append(code_cell(f"ask({q.id!r})", f"{q.id}-answer"))
        else:
            cells.append(code_cell(f"ask({q.id!r})", f"{q.id}-answer"))
        test = (f"# {w['autograded']}\n### BEGIN HIDDEN TESTS\nfrom perfcomm.exercise import scoring\n"
                f"{hidden_test(q, scenarios)}\n### END HIDDEN TESTS")
        cells.append(code_cell(test, f"{q.id}-test", grade=True, points=q.points))
    cells.append(markdown_cell(w["closing"], "closing"))
    cells.append(code_cell(HAND_IN, "hand-in"))
    nb.cells = cells
    return nb


def write_source(exercise: Exercise, lang: str, scenarios: dict, source_root: Path,
                 checkpoint_text: dict | None = None) -> Path:
    """Write source/<assignment>/<assignment>.ipynb and questions.json; return the folder."""
    folder = source_root / exercise.assignment(lang)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook(exercise, lang, scenarios), folder / f"{exercise.assignment(lang)}.ipynb")
    (folder / QUESTIONS_FILE).write_text(json.dumps(released_view(exercise, lang, checkpoint_text),
                                                    ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    return folder

