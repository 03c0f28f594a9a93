"""Learner text is data, never markup: hostile written answers and roster names go through the real
grading pipeline (collect → autograde → feedback → cohort report), then the feedback pages, the
formgrader (a real Jupyter server on loopback) and the cohort report are opened in Chromium:
nothing runs, and the learner's words are still there to read. Scores are those of a plain answer,
and the file as handed in is kept."""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import serve
from hostile import ANSWERS, FORMATTING, FORMULA, JS, NAMES, SHEET_NAMES, open_inert
from perfcomm.course import Course
from perfcomm.grading.autograde import autograde
from perfcomm.grading.collect import collect
from perfcomm.grading.release import course_exercises, release
from perfcomm.grading.report import write_report
from perfcomm.grading.roster import read_roster
from perfcomm.grading.workdir import Workdir
from test_grading import right_answers

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "stage1-zh"
PLAIN = "三季度末前把老客户复购率从 28% 提到 32%，以 CRM 月报为准。"
# two hostile answers per learner, one in each of the exercise's two prose questions
PAIRS = [ANSWERS[i:i + 2] for i in range(0, len(ANSWERS), 2)]
HOSTILE = {f"l-{pair[0][0]}": pair for pair in PAIRS}
LEARNERS = {learner: [answer for _, answer, _ in pair] for learner, pair in HOSTILE.items()} | {
    "l-formatting": [FORMATTING], "l-plain": [PLAIN]}
PAIR_IDS = ["+".join(case for case, _, _ in pair) for pair in PAIRS]
# files handed in beside the notebook that grading never reads
EXTRA = {"evil.html": f"<script>{JS}</script>", "runs/chart.svg": f"<svg onload={JS}/>",
         "notes.ipynb": "{}"}
NAMED = dict(zip(HOSTILE, [name for _, name in NAMES]))
SHEETS = dict(zip(list(HOSTILE)[len(NAMES):], [name for _, name in SHEET_NAMES]))
PERFCOMM = Path(sys.executable).parent / "perfcomm"


def prose_ids(path: Path) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(path, as_version=4).cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "markdown"]


def written(learner: str, count: int) -> list[str]:
    """What the learner wrote in each of `count` prose questions."""
    return [LEARNERS[learner][i % len(LEARNERS[learner])] for i in range(count)]


def hand_in(folder: Path, released: Path, learner: str, answers: dict) -> None:
    folder.mkdir(parents=True)
    nb = nbformat.read(released / f"{ASSIGNMENT}.ipynb", as_version=4)
    prose = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    for cell, text in zip(prose, written(learner, len(prose))):
        cell.source = text
    # JSON as any tool may write it: a lone surrogate can only be handed in as an escape
    (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    (folder / "answers.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    (folder / "timestamp.txt").write_text("2026-11-20 09:00:00.000000 UTC", encoding="utf-8")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("learner-text")
    course = Course(ROOT)
    workdir = Workdir(tmp / "work")
    workdir.write_config(course, None)
    release(course, workdir, [ASSIGNMENT], say=lambda *_: None)
    exercises, scenarios = course_exercises(course)
    exercise = next(e for e in exercises if e.assignment("zh") == ASSIGNMENT)
    released = workdir.folder("release") / ASSIGNMENT
    answers = right_answers(exercise, scenarios)
    for learner in LEARNERS:
        hand_in(tmp / "inbox" / learner, released, learner, answers)
    for name, text in EXTRA.items():
        (tmp / "inbox" / "l-script" / name).parent.mkdir(exist_ok=True)
        (tmp / "inbox" / "l-script" / name).write_text(text, encoding="utf-8")
    roster_file = tmp / "roster.csv"
    with roster_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        for number, learner in enumerate(LEARNERS, 1):
            writer.writerow([learner, NAMED.get(learner) or SHEETS.get(learner) or f"学员 {number}"])
    collected = collect(workdir, ASSIGNMENT, read_roster(roster_file), tmp / "inbox", [ASSIGNMENT])
    graded = autograde(workdir, ASSIGNMENT, ROOT, jobs=2, progress=lambda *a: None)
    result = workdir.api().generate_feedback(ASSIGNMENT)
    assert result["success"], result.get("error")
    report = write_report(workdir, ASSIGNMENT, exercise, "zh", tmp / "report.html")
    export = tmp / "grades.csv"
    done = subprocess.run([str(PERFCOMM), "grade", "export", "--workdir", str(workdir.root),
                           "--to", str(export)], capture_output=True, text=True,
                          env={**os.environ, "PERFCOMM_COURSE": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return {"workdir": workdir, "collected": collected, "graded": graded, "report": report,
            "export": export,
            "prose": prose_ids(released / f"{ASSIGNMENT}.ipynb")}


def grades(workdir: Workdir) -> dict:
    with workdir.gradebook() as gradebook:
        return {s.student.id: (round(s.score, 2), s.needs_manual_grade)
                for s in gradebook.assignment_submissions(ASSIGNMENT)}


def test_hostile_answers_score_exactly_as_a_plain_answer(cohort):
    assert cohort["graded"].failed == []
    found = grades(cohort["workdir"])
    assert set(found) == set(LEARNERS)
    assert found["l-plain"][0] > 0 and found["l-plain"][1]   # objective points earned, prose awaiting HR
    assert {learner: found["l-plain"] for learner in LEARNERS} == found


def test_each_neutralised_answer_is_reported_with_where_the_original_is(cohort):
    found = [str(f) for f in cohort["graded"].findings]
    nb = f"{ASSIGNMENT}.ipynb"
    for learner in HOSTILE:
        for qid in cohort["prose"]:
            assert (f"submitted/{learner}/{ASSIGNMENT}/{nb}: cell '{qid}' holds HTML, an entity, a link,"
                    f" TeX or other markup: shown as text in feedback and the formgrader; the answer as"
                    f" handed in is in originals/{learner}/{ASSIGNMENT}/{nb}") in found
    assert not any(f.startswith(("submitted/l-plain/", "submitted/l-formatting/")) for f in found)


def test_the_file_as_handed_in_is_kept_and_regrading_starts_from_it(cohort):
    workdir = cohort["workdir"]
    nb = f"{ASSIGNMENT}.ipynb"
    for learner in LEARNERS:
        kept = nbformat.read(workdir.folder("originals") / learner / ASSIGNMENT / nb, as_version=4)
        assert [c.source for c in kept.cells if c.metadata.get("nbgrader", {}).get("solution")] == \
               written(learner, len(cohort["prose"]))
    graded = workdir.folder("submitted") / "l-script" / ASSIGNMENT / nb
    before = graded.read_text(encoding="utf-8")
    again = autograde(workdir, ASSIGNMENT, ROOT, jobs=1, learners=["l-script"], progress=lambda *a: None)
    assert again.graded == ["l-script"]
    assert graded.read_text(encoding="utf-8") == before    # neutralised once, from the original, not twice
    assert grades(workdir)["l-script"] == grades(workdir)["l-plain"]


def test_files_beside_the_notebook_are_kept_but_never_passed_on(cohort):
    workdir, found = cohort["workdir"], [str(f) for f in cohort["graded"].findings]
    for name, text in EXTRA.items():
        assert (f"submitted/l-script/{ASSIGNMENT}/{name}: is not part of the assignment: not graded and not"
                f" passed on to feedback (kept in originals/l-script/{ASSIGNMENT}/)") in found
        assert (workdir.folder("originals") / "l-script" / ASSIGNMENT / name).read_text(encoding="utf-8") == text
        for step in ("submitted", "autograded", "feedback"):
            assert not (workdir.folder(step) / "l-script" / ASSIGNMENT / name).exists()
    assert (workdir.folder("feedback") / "l-script" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    assert not any("is not part of the assignment" in f and "/l-script/" not in f for f in found)


def test_formatting_reaches_feedback_as_written(cohort):
    nb = cohort["workdir"].folder("autograded") / "l-formatting" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    kept = [c.source for c in nbformat.read(nb, as_version=4).cells if c.metadata["nbgrader"].get("solution")]
    assert kept == [FORMATTING] * len(cohort["prose"])


def test_names_with_markup_are_escaped_in_the_gradebook_and_reported(cohort):
    lines = cohort["collected"].lines(ASSIGNMENT)
    for learner in NAMED:
        assert any(line.startswith(f"  {learner}: the roster name holds '<' or '&'") for line in lines), lines
    with cohort["workdir"].gradebook() as gradebook:
        for learner in NAMED:
            student = gradebook.find_student(learner)
            assert "<" not in f"{student.last_name} {student.first_name or ''}"
        assert gradebook.find_student("l-plain").last_name == "学员"


def test_grades_csv_holds_every_name_as_text(cohort):
    """Opened in Excel: no cell is a formula, every row has its columns, none is forged, and each
    name reads as the roster has it (a quote before one that starts like a formula)."""
    with cohort["export"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    head, body = rows[0], rows[1:]
    assert head[3:7] == ["student_id", "last_name", "first_name", "email"]
    assert all(len(row) == len(head) for row in body)
    assert sorted(row[3] for row in body) == sorted(LEARNERS)
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA)]
    by_id = {row[3]: row for row in body}

    def shown(cell: str) -> str:
        return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA) else cell

    for learner, name in (NAMED | SHEETS).items():
        last, first = shown(by_id[learner][4]), shown(by_id[learner][5])
        assert " ".join(part for part in (last, first) if part) == name
    assert by_id[list(SHEETS)[0]][4].startswith("'=HYPERLINK(")


# -- in the browser ------------------------------------------------------------------------------

def text_cells(path: Path) -> int:
    return sum(c.cell_type == "markdown" for c in nbformat.read(path, as_version=4).cells)


@pytest.fixture(scope="module")
def feedback_site(cohort):
    url, httpd = serve(cohort["workdir"].folder("feedback"))
    yield url
    httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("learner", HOSTILE, ids=PAIR_IDS)
def test_feedback_page_shows_hostile_answers_as_text(browser, cohort, feedback_site, learner):
    tab = open_inert(browser, f"{feedback_site}/{learner}/{ASSIGNMENT}/{ASSIGNMENT}.html", ASSIGNMENT)
    body = tab.locator("body").inner_text()
    for _, _, visible in HOSTILE[learner]:
        assert visible in body
    # nothing swallowed the rest of the page: every text cell is still there, the last one visible
    nb = cohort["workdir"].folder("autograded") / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert tab.locator(".text_cell").count() == text_cells(nb)
    assert tab.locator(".text_cell").last.is_visible()
    tab.context.close()


@pytest.mark.browser
def test_feedback_page_keeps_the_learners_formatting(browser, feedback_site):
    tab = open_inert(browser, f"{feedback_site}/l-formatting/{ASSIGNMENT}/{ASSIGNMENT}.html", ASSIGNMENT)
    assert tab.locator(".text_cell_render strong", has_text="有据可查").count() >= 1
    assert tab.locator(".text_cell_render li", has_text="以 CRM 月报为准").count() >= 1
    tab.context.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def formgrader(cohort):
    """nbgrader's formgrader in a real Jupyter server on loopback, token auth, run from the workdir."""
    root = cohort["workdir"].root
    port, token = free_port(), secrets.token_hex(16)
    log = (root.parent / "jupyter-server.log").open("w")
    env = {**os.environ, "PERFCOMM_COURSE": str(ROOT), "JUPYTER_RUNTIME_DIR": str(root.parent / "runtime"),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    server = subprocess.Popen([str(Path(sys.executable).parent / "jupyter-server"), "--no-browser",
                               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                               "--ServerApp.allow_root=True"],
                              cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("the Jupyter server did not start")
        assert server.poll() is None, (root.parent / "jupyter-server.log").read_text()
        with cohort["workdir"].gradebook() as gradebook:
            ids = {learner: gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, learner).id
                   for learner in LEARNERS}
        yield base, token, ids
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.browser
@pytest.mark.parametrize("learner", HOSTILE, ids=PAIR_IDS)
def test_formgrader_shows_hostile_answers_as_text(browser, cohort, formgrader, learner):
    base, token, ids = formgrader
    tab = open_inert(browser, f"{base}/formgrader/submissions/{ids[learner]}/?token={token}", ASSIGNMENT)
    tab.locator(".text_cell_render").first.wait_for()
    body = tab.locator("body").inner_text()
    for _, _, visible in HOSTILE[learner]:
        assert visible in body
    if learner in NAMED:   # HR shows the learner's name ("last, first", or the id for a one-word name)
        tab.evaluate("toggle_name(true)")
        name = NAMED[learner]
        assert (name.split(" ")[0] if " " in name else learner) in tab.locator(".name-shown").first.inner_text()
        assert tab.evaluate("typeof window.pwned") == "undefined"
    for qid in cohort["prose"]:   # HR can still grade it
        assert tab.locator(f"input.score#{qid}").is_visible()
    tab.context.close()


@pytest.mark.browser
def test_formgrader_student_list_shows_names_as_text(browser, formgrader):
    base, token, _ = formgrader
    tab = open_inert(browser, f"{base}/formgrader/manage_students?token={token}", "nbgrader formgrade")
    tab.locator("td.name a").first.wait_for()
    assert tab.evaluate("typeof window.pwned") == "undefined"
    tab.context.close()


@pytest.mark.browser
def test_cohort_report_lists_answers_shown_as_text(browser, cohort):
    url, httpd = serve(cohort["report"].parent)
    try:
        tab = open_inert(browser, f"{url}/{cohort['report'].name}", f"学员群体报告 · {ASSIGNMENT}")
        table = tab.locator("xpath=//h2[contains(., '按纯文本显示的作答')]/following-sibling::table[1]")
        listed = table.inner_text()
        for learner in HOSTILE:
            for qid in cohort["prose"]:
                assert f"{learner}\t{qid}\toriginals/{learner}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb" in listed
        assert "l-plain" not in listed and "l-formatting" not in listed
        tab.context.close()
    finally:
        httpd.shutdown()
