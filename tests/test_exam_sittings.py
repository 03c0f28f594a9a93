"""Exam integrity through the command line: the window and time limit written into each form, each
hand-in checked at collect (late, out of window, over the limit; nbgrader's timestamp or the file
time), late hand-ins held back until HR accepts or rejects them, decisions recorded; the attempt
limit counted across sittings in the gradebook (SQLite and a real PostgreSQL server)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest

from perfcomm.course import Course
from perfcomm.exam.bank import load_bank
from perfcomm.catalogue import load_catalogue
from perfcomm.exam.blueprint import load_blueprint
from perfcomm.problems import ContentError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"
ENV = {**os.environ, "PERFCOMM_COURSE": str(ROOT)}
WINDOW = ["--opens", "2026-12-01T09:00", "--closes", "2026-12-01T12:00", "--time-zone", "Asia/Shanghai",
          "--time-limit", "45"]


def run(*args, check=True):
    result = subprocess.run([str(PERFCOMM), *args], cwd=ROOT, capture_output=True, text=True, env=ENV)
    if check:
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


def roster(path: Path, ids) -> Path:
    path.write_text("id,name\n" + "".join(f"{i},{i}\n" for i in ids), encoding="utf-8")
    return path


# (candidate, started (Shanghai time, None: the notebook recorded none), handed in (Shanghai time),
#  where the hand-in time is (timestamp.txt or the files' time), the collect line, or None when on time)
HAND_INS = [
    ("on.time", "2026-12-01T10:00", "2026-12-01T10:40", "stamp", None),
    ("no.start", None, "2026-12-01T11:00", "stamp", None),
    ("late.close", "2026-12-01T11:30", "2026-12-01T12:07", "stamp",
     "late.close: handed in at 2026-12-01 12:07, 7 min after the window closed at 2026-12-01 12:00"
     " (Asia/Shanghai, nbgrader's timestamp)"),
    ("early.start", "2026-12-01T08:50", "2026-12-01T09:30", "stamp",
     "early.start: started at 2026-12-01 08:50, 10 min before the window opened at 2026-12-01 09:00"
     " (Asia/Shanghai, nbgrader's timestamp)"),
    ("over.limit", "2026-12-01T10:00", "2026-12-01T10:50", "stamp",
     "over.limit: took 50 min (started 2026-12-01 10:00, handed in 2026-12-01 10:50), 5 min over the"
     " 45-minute limit (Asia/Shanghai, nbgrader's timestamp)"),
    ("early.handin", None, "2026-12-01T08:30", "stamp",
     "early.handin: handed in at 2026-12-01 08:30, 30 min before the window opened at 2026-12-01 09:00"
     " (Asia/Shanghai, nbgrader's timestamp)"),
    ("file.time", "2026-12-01T11:50", "2026-12-01T13:15", "files",
     "file.time: handed in at 2026-12-01 13:15, 1 h 15 min after the window closed at 2026-12-01 12:00; took"
     " 1 h 25 min (started 2026-12-01 11:50, handed in 2026-12-01 13:15), 40 min over the 45-minute limit"
     " (Asia/Shanghai, file time)"),
]
HOLD = " — held back from the results until you decide: perfcomm exam grade --accept-late {0} (or --reject-late {0})"


def hand_in(inbox: Path, delivered: Path, candidate: str, started, handed_in: str, where: str) -> None:
    folder = inbox / candidate
    shutil.copytree(delivered, folder)
    answers = {"slot-1": "A"}
    if started:
        answers["started"] = datetime.fromisoformat(started + "+08:00").isoformat()
    (folder / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    moment = datetime.fromisoformat(handed_in + "+08:00").timestamp()
    if where == "stamp":
        stamp = datetime.utcfromtimestamp(moment).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
        (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    for path in folder.rglob("*"):   # the LMS's file times: an hour before the window for stamped ones
        os.utime(path, (moment, moment) if where == "files" else (moment - 3 * 3600, moment - 3 * 3600))


@pytest.fixture(scope="module")
def sitting(tmp_path_factory):
    base = tmp_path_factory.mktemp("sitting")
    workdir = base / "work"
    run("grade", "init", "--workdir", str(workdir))
    ids = [case[0] for case in HAND_INS]
    names = roster(base / "roster.csv", ids)
    forms = run("exam", "forms", "--workdir", str(workdir), "--roster", str(names), "--seed", "winter", *WINDOW)
    inbox = base / "inbox"
    for candidate, started, handed_in, where, _ in HAND_INS:
        hand_in(inbox, workdir / "exam" / "deliver" / candidate / "certification", candidate, started, handed_in,
                where)
    collected = run("grade", "collect", "--workdir", str(workdir), "--assignment", "certification", "--roster",
                    str(names), "--from", str(inbox))
    return workdir, forms.stdout, collected.stdout


def test_each_form_carries_the_window_and_the_time_limit(sitting):
    workdir, out, _ = sitting
    expected = {"time_zone": "Asia/Shanghai", "time_limit_minutes": 45, "opens": "2026-12-01T09:00:00+08:00",
                "closes": "2026-12-01T12:00:00+08:00", "attempt": 1, "attempts": 2}
    for candidate, *_ in HAND_INS:
        form = json.loads((workdir / "exam" / "forms" / f"{candidate}.json").read_text(encoding="utf-8"))
        shown = json.loads((workdir / "exam" / "deliver" / candidate / "certification" / "questions.json")
                           .read_text(encoding="utf-8"))
        assert form["sitting"] == expected
        assert shown["sitting"] == expected
    assert ("sitting 'winter': open 2026-12-01 09:00 to 2026-12-01 12:00 Asia/Shanghai; time limit 45 min;"
            " at most 2 attempt(s) each") in out


@pytest.mark.parametrize("candidate, started, handed_in, where, line", HAND_INS, ids=[c[0] for c in HAND_INS])
def test_collect_reports_each_hand_in_against_the_rules(sitting, candidate, started, handed_in, where, line):
    _, _, collected = sitting
    mine = [text.strip() for text in collected.splitlines() if text.strip().startswith(f"{candidate}:")]
    assert mine == ([line + HOLD.format(candidate)] if line else [])


def test_collect_says_where_the_hand_in_times_came_from(sitting):
    _, _, collected = sitting
    assert "  hand-in times: 1 from file time, 6 from nbgrader's timestamp (file.time)" in collected.splitlines()


def results(workdir: Path) -> dict:
    with (workdir / "exam" / "results.csv").open(encoding="utf-8") as handle:
        return {row["candidate"]: row for row in csv.DictReader(handle)}


def decisions(workdir: Path) -> dict:
    with sqlite3.connect(workdir / "gradebook.db") as db:
        return {c: (d, by is not None and at is not None) for c, d, by, at in db.execute(
            "SELECT candidate, decision, decided_by, decided_at FROM perfcomm_sitting")}


def test_late_hand_ins_are_held_back_until_hr_decides_and_the_decisions_are_recorded(sitting):
    workdir = sitting[0]
    first = run("exam", "grade", "--workdir", str(workdir), "--jobs", "2").stdout
    assert set(results(workdir)) == {"on.time", "no.start"}
    for candidate, *_, line in HAND_INS:
        if line:
            held = next(text for text in first.splitlines() if text.startswith(f"{candidate}:"))
            assert held.endswith(HOLD.format(candidate)), held
    assert "certification: 2 graded" in first and "5 not in the results (above)" in first

    second = run("exam", "grade", "--workdir", str(workdir), "--accept-late", "late.close,file.time",
                 "--accept-late", "on.time", "--reject-late", "early.start").stdout
    assert re.search(r"^late\.close: late hand-in accepted — recorded \S+ by \S+$", second, re.M)
    assert re.search(r"^file\.time: late hand-in accepted — recorded ", second, re.M)
    assert re.search(r"^early\.start: late hand-in rejected — recorded ", second, re.M)
    assert "on.time: handed in within the rules — nothing to decide" in second
    rows = results(workdir)
    assert set(rows) == {"on.time", "no.start", "late.close", "file.time"}
    assert rows["late.close"]["note"] == ("accepted late: handed in at 2026-12-01 12:07, 7 min after the window"
                                          " closed at 2026-12-01 12:00")
    assert rows["on.time"]["note"] == ""
    assert re.search(r"^early\.start: late hand-in rejected \(\S+ by \S+\): started at 2026-12-01 08:50, 10 min"
                     r" before the window opened at 2026-12-01 09:00 — not in the results$", second, re.M)

    third = run("exam", "grade", "--workdir", str(workdir)).stdout   # decisions stand without repeating them
    assert set(results(workdir)) == {"on.time", "no.start", "late.close", "file.time"}
    assert "over.limit: took 50 min" in third and "early.handin: handed in at" in third
    assert decisions(workdir) == {"on.time": (None, False), "no.start": (None, False),
                                  "late.close": ("accepted", True), "file.time": ("accepted", True),
                                  "early.start": ("rejected", True), "over.limit": (None, False),
                                  "early.handin": (None, False)}


@pytest.mark.parametrize("args, message", [
    (["--opens", "tomorrow"], "'tomorrow' is not a date and time — write it like 2026-12-01T09:00 or"
                              " 2026-12-01T09:00+08:00"),
    (["--opens", "2026-12-01"], "'2026-12-01' has no time of day — write it like 2026-12-01T09:00"),
    (["--time-zone", "Asia/Shangai"], "time zone 'Asia/Shangai' is unknown — did you mean 'Asia/Shanghai'?"),
    (["--time-zone", "Mars/Olympus"], "time zone 'Mars/Olympus' is unknown — write an IANA name such as"
                                      " Asia/Shanghai"),
    (["--opens", "2026-12-01T12:00", "--closes", "2026-12-01T09:00"],
     "the window closes (2026-12-01T09:00:00+08:00) before it opens (2026-12-01T12:00:00+08:00) — check the"
     " dates"),
    (["--time-limit", "0"], "time limit '0' must be a whole number of minutes above 0, e.g. 45"),
], ids=["not-a-date", "no-time", "zone-typo", "zone-unknown", "closes-first", "zero-limit"])
def test_a_bad_window_on_the_command_line_is_refused_and_nothing_is_built(tmp_path, args, message):
    names = roster(tmp_path / "roster.csv", ["zhang.wei"])
    result = run("exam", "forms", "--workdir", str(tmp_path / "work"), "--roster", str(names), *args, check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == f"perfcomm exam forms: {message}"
    assert not (tmp_path / "work" / "exam").exists()


def test_accepting_and_rejecting_the_same_candidate_is_refused(tmp_path):
    result = run("exam", "grade", "--workdir", str(tmp_path), "--accept-late", "li.na,zhang.wei",
                 "--reject-late", "zhang.wei", check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == "perfcomm exam grade: zhang.wei: both accepted and rejected — name each" \
                                    " candidate once"


@pytest.mark.parametrize("rules, offset, message", [
    ("window: {time_zone: Asia/Shangai}", 0, "window: time zone 'Asia/Shangai' is unknown — did you mean"
                                              " 'Asia/Shanghai'?"),
    ("window:\n  opens: tomorrow 9am", 1, "window: opens 'tomorrow 9am' is not a date and time — write it like"
                                           " 2026-12-01T09:00 or 2026-12-01T09:00+08:00"),
    ("window:\n  opens: 2026-12-01T12:00\n  closes: 2026-12-01T09:00", 2,
     "window: the window closes (2026-12-01T09:00:00+08:00) before it opens (2026-12-01T12:00:00+08:00) — check"
     " the dates"),
    ("window: [2026-12-01]", 0, "window: write it as `{opens: 2026-12-01T09:00, closes: 2026-12-01T12:00,"
                                 " time_zone: Asia/Shanghai}`; each may be left out"),
    ("time_limit_minutes: 0", 0, "time_limit_minutes: '0' must be a whole number above 0"),
    ("attempts: two", 0, "attempts: 'two' must be a whole number above 0"),
], ids=["zone-typo", "opens-not-a-date", "closes-first", "not-a-mapping", "zero-limit", "attempts-word"])
def test_exam_yaml_rules_are_checked_with_their_line(tmp_path, rules, offset, message):
    course = Course(ROOT)
    items, _ = load_bank(course, load_catalogue(course.catalogue_file, "lessons/checkpoints.yaml"))
    original = (ROOT / "exercises" / "exam.yaml").read_text(encoding="utf-8")
    kept = [text for text in original.splitlines()
            if not text.startswith(("time_limit_minutes:", "attempts:", "window:", "  time_zone:", "  opens:",
                                    "  closes:"))]
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "exam.yaml").write_text("\n".join(kept + [rules]) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_blueprint(Course(tmp_path), items)
    line = len(kept) + 1 + offset
    assert [str(p) for p in raised.value.problems] == [f"exercises/exam.yaml:{line}: {message}"]


# -- attempts --------------------------------------------------------------------------------------

def forms(workdir: Path, names: Path, seed: str):
    return run("exam", "forms", "--workdir", str(workdir), "--roster", str(names), "--seed", seed)


def attempt(workdir: Path, candidate: str) -> int | None:
    form = workdir / "exam" / "forms" / f"{candidate}.json"
    return json.loads(form.read_text(encoding="utf-8"))["sitting"]["attempt"] if form.is_file() else None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_attempt_limit_counts_sittings_across_exam_runs_in_the_gradebook(request, tmp_path, backend):
    db = request.getfixturevalue("postgres_url") if backend == "postgresql" else \
        f"sqlite:///{tmp_path / 'certification.db'}"
    spring, autumn = tmp_path / "2026-spring", tmp_path / "2026-autumn"
    for workdir in (spring, autumn):        # one work directory per sitting, one gradebook for all
        run("grade", "init", "--workdir", str(workdir), "--db", db)
    first = roster(tmp_path / "first.csv", ["zhang.wei", "li.na"])
    forms(spring, first, "spring")
    forms(spring, first, "spring")          # the same sitting built again: still the first attempt
    assert (attempt(spring, "zhang.wei"), attempt(spring, "li.na")) == (1, 1)
    forms(spring, roster(tmp_path / "makeup.csv", ["zhang.wei"]), "spring-makeup")
    assert attempt(spring, "zhang.wei") == 2

    everyone = roster(tmp_path / "everyone.csv", ["zhang.wei", "li.na", "wang.fang"])
    out = forms(autumn, everyone, "autumn").stdout
    refused = [line for line in out.splitlines() if line.startswith("zhang.wei:")]
    assert len(refused) == 1 and re.fullmatch(
        r"zhang\.wei: 2 sitting\(s\) already \('spring' on \d{4}-\d\d-\d\d, 'spring-makeup' on \d{4}-\d\d-\d\d\),"
        r" the limit is 2 — no form built for this sitting", refused[0]), out
    assert "2 exam forms of 16 items" in out
    assert (attempt(autumn, "zhang.wei"), attempt(autumn, "li.na"), attempt(autumn, "wang.fang")) == (None, 2, 1)
    delivered = sorted(p.name for p in (autumn / "exam" / "deliver").iterdir())
    assert delivered == ["li.na", "wang.fang"]


def test_the_exam_shows_the_candidate_the_rules_and_notes_the_start(sitting, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.delenv("PERFCOMM_GRADING", raising=False)
    monkeypatch.setenv("PERFCOMM_COURSE", str(ROOT))
    folder = tmp_path / "certification"
    shutil.copytree(sitting[0] / "exam" / "deliver" / "on.time" / "certification", folder)
    notebook = nbformat.read(folder / "certification.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(folder)}}).execute()
    started = json.loads((folder / "answers.json").read_text(encoding="utf-8"))["started"]
    local = datetime.fromisoformat(started).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    shown = json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)   # the drawn widgets' state
    for line in ("考试时间：2026-12-01 09:00 至 2026-12-01 12:00（Asia/Shanghai 时间），请在结束前交卷。",
                 f"限时 45 分钟，从你第一次运行本单元格算起（你的开始时间：{local}）。",
                 "这是你的第 1 次考试，每人最多 2 次。"):
        assert line in shown
