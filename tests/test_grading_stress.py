"""Grading gives the same scores every time: one cohort graded normally and again with the CPU
saturated by other processes scores the same, learner by learner and question by question; a kernel
lost at start is graded again, and said, never left as a zero."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perfcomm.course import Course
from perfcomm.exercise.load import audit_key
from perfcomm.grading import autograde, kernels
from perfcomm.grading.collect import collect
from perfcomm.grading.demo import load_prose, write_submission
from perfcomm.grading.release import course_exercises, release
from perfcomm.grading.roster import Learner
from perfcomm.grading.scores import differences, question_scores
from perfcomm.grading.workdir import Workdir

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"
ASSIGNMENT = "stage1-zh"
ENV = {**os.environ, "PERFCOMM_COURSE": str(ROOT)}


def cohort(base: Path, learners: int) -> Workdir:
    """A synthetic cohort of varied answers, collected and ready to grade."""
    course = Course(ROOT)
    workdir = Workdir(base / "work")
    workdir.write_config(course, None)
    release(course, workdir, [ASSIGNMENT], say=lambda *_: None)
    exercises, scenarios = course_exercises(course)
    exercise = next(e for e in exercises if e.assignment("zh") == ASSIGNMENT)
    keys = {q.id: audit_key(q, scenarios[q.scenario]) for q in exercise.questions if q.kind == "audit"}
    rng, prose = random.Random(7), load_prose(ROOT)
    roster = [Learner(f"learner{i:02d}", f"Learner {i:02d}") for i in range(1, learners + 1)]
    for learner in roster:
        write_submission(base / "inbox" / learner.id, workdir.folder("release") / ASSIGNMENT, exercise, "zh",
                         scenarios, rng.random(), random.Random(learner.id), prose, keys)
    collect(workdir, ASSIGNMENT, roster, base / "inbox", [ASSIGNMENT])
    return workdir


def grade(workdir: Workdir) -> str:
    result = subprocess.run([str(PERFCOMM), "grade", "autograde", "--workdir", str(workdir.root), "--assignment",
                             ASSIGNMENT, "--jobs", "2"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_a_saturated_cpu_changes_no_score(tmp_path):
    calm = cohort(tmp_path / "calm", 8)
    busy = Workdir(tmp_path / "busy" / "work")
    shutil.copytree(calm.root, busy.root)
    config = busy.config_file.read_text(encoding="utf-8").replace(str(calm.root.resolve()), str(busy.root.resolve()))
    busy.config_file.write_text(config, encoding="utf-8")

    calm_out = grade(calm)
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * (os.cpu_count() or 2))]
    try:
        busy_out = grade(busy)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    for out in (calm_out, busy_out):
        assert out.strip().splitlines()[-1] == f"{ASSIGNMENT}: 8 graded, 0 reported, 0 finding(s)", out
    scores = question_scores(calm, ASSIGNMENT)
    assert len(scores) == 8 and all(len(questions) == 10 for questions in scores.values())
    assert [str(d) for d in differences(calm, busy, ASSIGNMENT)] == []


def test_a_kernel_lost_at_start_is_graded_again_and_said(tmp_path, monkeypatch):
    workdir = cohort(tmp_path, 1)
    for name in ("PERFCOMM_COURSE", "PERFCOMM_GRADING"):   # the worker sets them: undone after the test
        monkeypatch.setenv(name, os.environ.get(name, ""))
    autograde._init_worker(str(workdir.root), str(ROOT))
    kernels.close_nursery()
    argv = kernels.NURSERY.prefix
    silent = kernels.Nursery(argv)      # ready, then takes the first request and never answers it
    silent.WAIT = 1
    silent.process = subprocess.Popen([sys.executable, "-c", "import json, sys, time; print(json.dumps({'ready':"
                                       " True}), flush=True); sys.stdin.readline(); time.sleep(60)"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    kernels.NURSERY = silent
    try:
        learner, ok, error, findings = autograde._grade(ASSIGNMENT, "learner01")
    finally:
        kernels.NURSERY = None
        silent.process.kill()
    assert (learner, ok, error) == ("learner01", True, "")
    assert [str(f) for f in findings] == [
        f"submitted/learner01/{ASSIGNMENT}: graded on the second try (the first: KernelLost: the kernel nursery"
        " did not answer within 1 s)"]
    assert len(question_scores(workdir, ASSIGNMENT)["learner01"]) == 10
    assert autograde.scoring_errors(workdir, ASSIGNMENT, "learner01") == []


@pytest.mark.parametrize("result, said", [
    ({"success": False, "error": "Traceback …\nnbgrader.converters.base.NbGraderException: Please see the the above"
      " traceback", "log": "[ERROR] There was an error processing assignment\nTraceback (most recent call last):\n"
      "  File …\nzmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:41369')\n"
      "RuntimeError: Kernel died before replying to kernel_info\n[ERROR] Please see the above traceback"},
     "ZMQError: Address already in use (addr='tcp://127.0.0.1:41369')"),
    ({"success": False, "error": "Traceback …\nnbgrader.converters.base.NbGraderException: Please see the the above"
      " traceback", "log": "[ERROR] …\nnbclient.exceptions.CellTimeoutError: Timeout waiting for IOPub output"},
     "CellTimeoutError: Timeout waiting for IOPub output"),
    ({"success": False, "error": "something odd\nat the end"}, "at the end"),
    ({"success": False}, "no message"),
], ids=["port-taken", "iopub-timeout", "no-exception-line", "nothing"])
def test_a_failed_grading_names_its_first_cause(result, said):
    assert autograde.reason(result) == said
