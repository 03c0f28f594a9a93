"""The exercises and the exam in the browser, end to end: the built site's JupyterLite (/lab/) in
Debian's chromium, every request off this machine blocked and counted. A learner opens a stage
exercise, answers every click question right, plays the scenario question along its best path,
writes a prose answer and hands in; `perfcomm grade collect` takes the downloaded zip as it is and
autograde gives exactly the full objective score. The same for a candidate's exam form, uploaded as
the zip HR sends."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import guarded_page
from perfcomm.catalogue import load_catalogue
from perfcomm.course import Course
from perfcomm.exam.bank import load_bank
from perfcomm.exercise.load import audit_key
from perfcomm.grading.autograde import autograde
from perfcomm.grading.collect import collect
from perfcomm.grading.release import course_exercises, release
from perfcomm.grading.roster import read_roster
from perfcomm.grading.workdir import Workdir
from perfcomm.players.words import words
from perfcomm.scenario.explore import explore

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"
ASSIGNMENT = "stage1-zh"
OBJECTIVE = ("single", "multiple", "order", "match", "audit", "scenario")
PROSE = "先请小吴自己说说他对到岗周期的判断，再一起把目标写成：三季度末前把平均到岗周期从 52 天缩短到 40 天，以招聘系统为准。"
START = 240_000   # ms: a cold Pyodide start on a loaded 2-core machine

PANEL = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = f"""() => {{ const w = {PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  // and the notebook read: a warm kernel can be idle before the document has its cells
  return !!k && k.status === 'idle' && w.context.isReady && w.content.widgets.length > 0; }}"""
ALL_RUN = f"""() => {{ const w = {PANEL}; if (!w || !w.content || !w.content.model) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.model.cells;
  for (let i = 0; i < cells.length; i++) {{
    const c = cells.get(i);
    if (c.type === 'code' && !c.executionCount) return false;
  }}
  return !!k && k.status === 'idle'; }}"""
TAG_CELLS = f"""() => {{ const w = {PANEL};
  w.content.widgets.forEach((cell) => {{
    const meta = cell.model.getMetadata('nbgrader');
    if (meta && meta.grade_id) cell.node.dataset.gradeId = meta.grade_id;
  }}); }}"""


def open_notebook(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(KERNEL_IDLE, timeout=START, polling=250)


def run_all(page) -> None:
    page.evaluate(f"{PANEL}.content.activate()")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RUN, timeout=START, polling=250)
    page.evaluate(TAG_CELLS)


def cell(page, grade_id: str):
    return page.locator(f'[data-grade-id="{grade_id}"]')


def label(option_id: str):
    return re.compile(rf"^\s*{re.escape(option_id)}\. ")


def pick(box, option_id: str) -> None:
    box.locator("label", has_text=label(option_id)).first.click()


def choose(select, text: str) -> None:
    select.select_option(label=text)


def hand_in(page, name: str | None, inbox: Path) -> Path:
    control = cell(page, "hand-in")
    if name is not None:
        control.locator("input[type=text]").fill(name)
    with page.expect_download(timeout=60_000) as download:
        control.locator("button.widget-button").click()
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / download.value.suggested_filename
    download.value.save_as(target)
    control.locator("[data-perfcomm-handin-status]").filter(has_text=target.name).wait_for(timeout=30_000)
    return target


def play_best_path(page, box, scenario) -> None:
    for number in explore(scenario).best_path:
        lines = box.locator(".pc-line").count()
        box.locator("button", has_text=label(str(number))).first.click()
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n",
                               arg=[f'[data-grade-id="{box_id(box)}"] .pc-line', lines], timeout=30_000)
    box.locator(".pc-debrief").wait_for(timeout=30_000)


def box_id(box) -> str:
    return box.get_attribute("data-grade-id")


def write_prose(page, grade_id: str, text: str) -> None:
    box = cell(page, grade_id)
    box.scroll_into_view_if_needed()
    box.dblclick()
    editor = box.locator(".cm-content")
    editor.wait_for()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


@pytest.fixture(scope="module")
def lab(built_site, server):
    """The built site, served on loopback; its JupyterLite is under lab/."""
    assert (built_site / "lab" / "static" / "pyodide" / "pyodide-lock.json").is_file()
    return server


def test_a_stage_exercise_done_in_the_browser_is_collected_and_scores_exactly(lab, browser, tmp_path):
    course = Course(ROOT)
    exercises, scenarios = course_exercises(course)
    exercise = next(e for e in exercises if e.assignment("zh") == ASSIGNMENT)
    status = words("zh")["status"]
    page = guarded_page(browser, accept_downloads=True)
    try:
        page.goto(f"{lab}/lessons/01-goal-setting/")       # the lesson's practice section
        page.locator("[data-perfcomm-exercise]").click()
        page.wait_for_url(re.compile(re.escape(f"path={ASSIGNMENT}/{ASSIGNMENT}.ipynb")))
        page.wait_for_function(KERNEL_IDLE, timeout=START, polling=250)
        run_all(page)
        prose = []
        for q in exercise.questions:
            box = cell(page, f"{q.id}-answer")
            if q.kind == "single":
                pick(box, q.key)
            elif q.kind == "multiple":
                for option in q.key:
                    pick(box, option)
            elif q.kind == "order":
                texts = {o.id: o.text["zh"] for o in q.options}
                for position, step in enumerate(q.key):
                    choose(box.locator("select").nth(position), f"{step}. {texts[step]}")
            elif q.kind == "match":
                texts = {o.id: o.text["zh"] for o in q.options}
                for row, item in enumerate(q.items):
                    choose(box.locator("select").nth(row), f"{q.key[item.id]}. {texts[q.key[item.id]]}")
            elif q.kind == "audit":
                key = audit_key(q, scenarios[q.scenario])
                for row, checkpoint in enumerate(q.audit):
                    choose(box.locator("select").nth(row), status[key[checkpoint]])
            elif q.kind == "scenario":
                play_best_path(page, box, scenarios[q.scenario])
            elif q.kind == "prose":
                prose.append(q.id)
        assert prose, "the exercise has a prose question"
        write_prose(page, prose[0], PROSE)
        zipped = hand_in(page, "learner-lite", tmp_path / "inbox")
        assert page.blocked == []
    finally:
        page.context.close()

    assert zipped.name == f"{ASSIGNMENT}-learner-lite.zip"
    workdir = Workdir(tmp_path / "work")
    workdir.write_config(course, None)
    release(course, workdir, [ASSIGNMENT], say=lambda *_: None)
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("id,name\nlearner-lite,吴 小明\nlearner-away,Away Learner\n", encoding="utf-8")
    report = collect(workdir, ASSIGNMENT, read_roster(roster_file), zipped.parent, [ASSIGNMENT, "stage1-en"])
    assert report.filed == ["learner-lite"] and report.rejected == [] and report.unknown == []
    submitted = workdir.folder("submitted") / "learner-lite" / ASSIGNMENT
    assert PROSE in (submitted / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    autograde(workdir, ASSIGNMENT, ROOT, jobs=1, progress=lambda *a: None)
    full = sum(q.points for q in exercise.questions if q.kind in OBJECTIVE)
    with workdir.gradebook() as gradebook:
        graded = {s.student.id: round(s.score, 2) for s in gradebook.assignment_submissions(ASSIGNMENT)}
    assert graded == {"learner-lite": full}


def test_an_exam_form_sat_in_the_browser_is_collected_and_scores_exactly(lab, browser, tmp_path):
    course = Course(ROOT)
    workdir = tmp_path / "work"
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("id,name,email,lang\ncand-lite,林 芳,,zh\n", encoding="utf-8")
    env = {"PERFCOMM_COURSE": str(ROOT), "PATH": f"{PERFCOMM.parent}:/usr/bin:/bin"}
    for args in (["grade", "init", "--workdir", str(workdir)],
                 ["exam", "forms", "--workdir", str(workdir), "--roster", str(roster_file), "--seed", "7"]):
        done = subprocess.run([str(PERFCOMM), *args], cwd=ROOT, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
    form = json.loads((workdir / "exam" / "forms" / "cand-lite.json").read_text(encoding="utf-8"))
    items = {i.id: i for i in load_bank(course, load_catalogue(course.catalogue_file, "x"))[0]}
    paper = workdir / "exam" / "deliver-zip" / "cand-lite.zip"
    exam_name = next((workdir / "exam" / "deliver" / "cand-lite").iterdir()).name

    page = guarded_page(browser, accept_downloads=True)
    try:
        open_notebook(page, f"{lab}/lab/notebooks/index.html?path=exam.zh.ipynb")
        run_all(page)
        with page.expect_file_chooser() as chooser:
            page.locator(".jp-OutputArea .widget-upload").click()
        chooser.value.set_files(str(paper))
        page.locator("[data-perfcomm-exam-paper]").click()
        page.wait_for_url(re.compile(re.escape(f"path={exam_name}")), timeout=60_000)
        page.wait_for_function(KERNEL_IDLE, timeout=START, polling=250)
        run_all(page)
        for number, slot in enumerate(form["slots"], 1):
            item = items[slot["item"]]
            letter = {oid: chr(65 + n) for n, oid in enumerate(slot["options"])}
            text = {chr(65 + n): item.option(oid).text["zh"] for n, oid in enumerate(slot["options"])}
            box = cell(page, f"slot-{number}-answer")
            if item.kind == "single":
                pick(box, letter[item.key])
            elif item.kind == "multiple":
                for oid in item.key:
                    pick(box, letter[oid])
            else:
                for position, oid in enumerate(item.key):
                    choose(box.locator("select").nth(position), f"{letter[oid]}. {text[letter[oid]]}")
        zipped = hand_in(page, None, tmp_path / "inbox")
        assert page.blocked == []
    finally:
        page.context.close()

    assert zipped.name == f"{exam_name}-cand-lite.zip"
    from perfcomm.exam.commands import grade

    report = collect(Workdir(workdir), exam_name, read_roster(roster_file), zipped.parent, [exam_name])
    assert report.filed == ["cand-lite"] and report.rejected == []
    _, results, blueprint, *_ = grade(Workdir(workdir), course, 1)
    assert [(r.candidate, r.score, r.passed) for r in results] == [("cand-lite", blueprint.length, True)]


def test_a_practice_notebook_plays_in_the_browser(lab, browser):
    page = guarded_page(browser)
    try:
        open_notebook(page, f"{lab}/lab/notebooks/index.html?path=practice/01-goal-setting.en.ipynb")
        run_all(page)
        page.locator(".pc-chat").first.wait_for(timeout=60_000)
        assert page.locator(".pc-chat").count() == 2
        assert page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
        assert page.blocked == []
        assert [e for e in page.errors if e.startswith("HTTP ")] == []
        # Pyodide's wasm was compiled in the page and the kernel's worker started from it
        assert page.evaluate("performance.getEntriesByName('perfcomm-wasm-handed').length") == 1
    finally:
        page.context.close()
