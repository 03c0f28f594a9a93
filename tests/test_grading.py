"""The real grading pipeline end to end: release → submissions → collect → autograde → feedback →
export, with known submissions (bad ones included) and exact scores; then a search of every
released file and every feedback page for hidden tests and answer keys."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from perfcomm.course import Course
from perfcomm.exercise.load import audit_key
from perfcomm.grading.autograde import autograde
from perfcomm.grading.collect import collect
from perfcomm.grading.release import course_exercises, release
from perfcomm.grading.roster import read_roster
from perfcomm.grading.workdir import Workdir
from perfcomm.scenario import Dialogue
from perfcomm.scenario.explore import explore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "stage1-zh"
PERFCOMM = Path(sys.executable).parent / "perfcomm"
OBJECTIVE = ("single", "multiple", "order", "match", "audit")
DEEP = "[" * 100_000 + "]" * 100_000   # JSON, but nested deeper than Python's parser recurses


def right_answers(exercise, scenarios) -> dict:
    out = {}
    for q in exercise.questions:
        if q.kind == "audit":
            out[q.id] = audit_key(q, scenarios[q.scenario])
        elif q.kind in OBJECTIVE:
            out[q.id] = q.key
    return out


def wrong_answers(exercise, scenarios) -> dict:
    out = {}
    for q in exercise.questions:
        ids = [o.id for o in q.options]
        if q.kind == "single":
            out[q.id] = next(i for i in ids if i != q.key)
        elif q.kind == "multiple":
            out[q.id] = [i for i in ids if i not in q.key]
        elif q.kind == "order":
            out[q.id] = list(reversed(q.key))
        elif q.kind == "match":
            out[q.id] = {item: next(i for i in ids if i != option) for item, option in q.key.items()}
        elif q.kind == "audit":
            key = audit_key(q, scenarios[q.scenario])
            out[q.id] = {cp: ("met" if status != "met" else "violated") for cp, status in key.items()}
    return out


def best_run(scenario) -> dict:
    dialogue = Dialogue(scenario, "zh")
    for number in explore(scenario).best_path:
        dialogue.choose(number - 1)
    data = dialogue.result()
    data["saved"] = json.loads(dialogue.save())
    return data


def submission(folder: Path, released: Path, answers, run=None, notebook=True, answers_text=None,
               stamp: str = "2026-11-21 12:00:00.000000 UTC", name=f"{ASSIGNMENT}.ipynb"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answers.json").write_text(answers_text if answers_text is not None
                                         else json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    if run:
        (folder / "runs").mkdir(exist_ok=True)
        (folder / "runs" / f"{run['scenario']}.json").write_text(json.dumps(run, ensure_ascii=False), encoding="utf-8")
    if notebook:
        nb = nbformat.read(released / f"{ASSIGNMENT}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = "三季度末前把老客户复购率从 28% 提到 32%，以 CRM 月报为准。"
        nbformat.write(nb, folder / name)
    (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    return folder / name


def cells(path: Path):
    return nbformat.read(path, as_version=4).cells


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grading")
    course = Course(ROOT)
    workdir = Workdir(tmp / "work")
    workdir.write_config(course, None)
    release(course, workdir, [ASSIGNMENT], say=lambda *_: None)
    exercises, scenarios = course_exercises(course)
    exercise = next(e for e in exercises if e.assignment("zh") == ASSIGNMENT)
    released = workdir.folder("release") / ASSIGNMENT
    right, wrong = right_answers(exercise, scenarios), wrong_answers(exercise, scenarios)
    play_q = next(q for q in exercise.questions if q.kind == "scenario")
    run = best_run(scenarios[play_q.scenario])
    inbox = tmp / "inbox"

    submission(inbox / "learner-a", released, right, run, stamp="2026-11-20 09:00:00.000000 UTC")
    submission(inbox / "Learner A", released, wrong, stamp="2026-11-19 09:00:00.000000 UTC")  # older duplicate
    submission(inbox / "learner-b", released, wrong, stamp="2026-11-23 10:30:00.000000 UTC")  # late
    corrupt = submission(inbox / "learner-c", released, right, run)
    corrupt.write_bytes(b'{"cells": [ this is not json')
    edited = submission(inbox / "learner-d", released, right, run)
    nb = nbformat.read(edited, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("-prompt"):
            cell.source = "（我改了题目）"
        if gid == f"{exercise.questions[0].id}-test":
            cell.source = "30.0"
    nbformat.write(nb, edited)
    deleted = submission(inbox / "learner-e", released, right, run)
    nb = nbformat.read(deleted, as_version=4)
    first = exercise.questions[0].id
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade_id", "").startswith(first)]
    nbformat.write(nb, deleted)
    extra = submission(inbox / "learner-f", released, right, run)
    nb = nbformat.read(extra, as_version=4)
    nb.cells[3:3] = [nbformat.v4.new_code_cell("while True:\n    pass"),
                     nbformat.v4.new_code_cell("for i in range(10**7):\n    print(i)"),
                     nbformat.v4.new_code_cell("raise ValueError('boom')")]
    nbformat.write(nb, extra)
    submission(inbox / "learner-g", released, None, answers_text="{not json")
    submission(inbox / "learner-j", released, None, answers_text=DEEP)
    submission(inbox / "learner-h", released, right, run, name="stage1-en.ipynb")
    submission(inbox / "stranger", released, right, run)

    roster_file = tmp / "roster.csv"
    roster_file.write_text("id,name\n" + "".join(f"learner-{x},Learner {x.upper()}\n" for x in "abcdefghij"),
                           encoding="utf-8")
    roster = read_roster(roster_file)
    due = datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc)
    collected = collect(workdir, ASSIGNMENT, roster, inbox, [ASSIGNMENT, "stage1-en"], due)
    graded = autograde(workdir, ASSIGNMENT, ROOT, jobs=2, progress=lambda *a: None)
    result = workdir.api().generate_feedback(ASSIGNMENT)
    assert result["success"], result.get("error")
    export = tmp / "grades.csv"
    env = {**os.environ, "PERFCOMM_COURSE": str(ROOT)}
    done = subprocess.run([str(PERFCOMM), "grade", "export", "--workdir", str(workdir.root), "--to", str(export)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    full = sum(q.points for q in exercise.questions if q.kind in OBJECTIVE) + play_q.points
    return {"workdir": workdir, "collected": collected, "graded": graded, "export": export, "full": full,
            "exercise": exercise, "scenarios": scenarios}


def scores(pipeline) -> dict:
    with pipeline["workdir"].gradebook() as gradebook:
        return {s.student.id: round(s.score, 2) for s in gradebook.assignment_submissions(ASSIGNMENT)}


def test_collect_reports_every_irregular_submission(pipeline):
    report = pipeline["collected"]
    assert report.unknown == ["stranger"]
    assert report.duplicates == [("learner-a", "learner-a", "Learner A")]
    assert [who for who, _ in report.late] == ["learner-b"]
    assert report.missing == ["learner-i"]
    assert report.misfiled == [("learner-h", "stage1-en.ipynb", "stage1-en")]
    unmatched = pipeline["workdir"].folder("unmatched")
    assert (unmatched / ASSIGNMENT / "stranger").is_dir()
    assert (unmatched / "stage1-en" / "learner-h" / "stage1-en.ipynb").is_file()


def test_every_submission_is_graded_and_scores_are_exact(pipeline):
    full = pipeline["full"]
    assert sorted(pipeline["graded"].graded) == [f"learner-{x}" for x in "abcdefghj"]
    assert pipeline["graded"].failed == []
    assert scores(pipeline) == {
        "learner-a": full,   # every objective answer right, best scenario run
        "learner-b": 0.0,    # every answer wrong, no run
        "learner-c": full,   # corrupt notebook: graded from the saved answers
        "learner-d": full,   # edited locked cells are graded from the released version
        "learner-e": full,   # deleted cells are restored
        "learner-f": full,   # added cells (a loop, an output flood, an error) are not run
        "learner-g": 0.0,    # an answers file that is not JSON earns 0, not a crash
        "learner-h": full,   # the notebook was misfiled; the saved answers still count
        "learner-j": 0.0,    # nested past Python's recursion limit: 0 too, and no traceback
    }


def test_findings_name_learner_notebook_and_cell(pipeline):
    found = [str(f) for f in pipeline["graded"].findings]
    first = pipeline["exercise"].questions[0].id
    nb = f"{ASSIGNMENT}.ipynb"
    assert f"submitted/learner-c/{ASSIGNMENT}/{nb}: is empty or not a notebook (corrupt file); graded from the" \
           " released notebook and the saved answers, prose answers lost" in found
    assert f"submitted/learner-d/{ASSIGNMENT}/{nb}: cell '{first}-prompt' was edited although it is locked;" \
           " graded from the released version" in found
    assert f"submitted/learner-d/{ASSIGNMENT}/{nb}: cell '{first}-test' was edited although it is locked;" \
           " graded from the released version" in found
    assert f"submitted/learner-e/{ASSIGNMENT}/{nb}: cell '{first}-answer' was deleted; graded from the released" \
           " version" in found
    assert sum(f.startswith(f"submitted/learner-f/{ASSIGNMENT}/{nb}: cell '#") for f in found) == 3
    assert f"submitted/learner-h/{ASSIGNMENT}/{nb}: is missing from the submission; graded from the saved" \
           " answers" in found
    original = pipeline["workdir"].folder("originals") / "learner-f" / ASSIGNMENT / nb
    assert any("while True" in c.source for c in cells(original))  # the learner's own file is kept


def test_export_csv_has_the_gradebook_scores(pipeline):
    with pipeline["export"].open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    for learner, score in scores(pipeline).items():
        assert float(rows[learner]["score"]) == pytest.approx(score)
    assert rows["learner-i"]["score"] in ("0.0", "0")


def hidden_lines(workdir: Workdir) -> list[str]:
    lines = []
    for path in workdir.folder("source").rglob("*.ipynb"):
        for cell in cells(path):
            found = re.search(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S)
            if found:
                lines += [line for line in found.group(1).splitlines() if line.strip()]
    return lines


def test_no_hidden_test_or_answer_key_reaches_a_learner(pipeline):
    workdir, exercise = pipeline["workdir"], pipeline["exercise"]
    secrets = set(hidden_lines(workdir))
    assert len(secrets) > sum(q.kind != "prose" for q in exercise.questions)
    for q in exercise.questions:
        if q.kind in ("single", "multiple", "order", "match"):
            secrets.add(f"{q.id!r}, {q.key!r}")
        if q.kind == "prose":
            secrets.update(q.rubric["zh"] + q.rubric["en"])
    shipped = [p for p in workdir.folder("release").rglob("*") if p.is_file()]
    shipped += [p for p in workdir.folder("feedback").rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in shipped)
    for path in shipped:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{path} contains {secret!r}"
        assert "BEGIN HIDDEN TESTS" not in text and "scoring." not in text
    released = json.loads((workdir.folder("release") / ASSIGNMENT / "questions.json").read_text(encoding="utf-8"))
    assert all("key" not in q for q in released["questions"].values())
