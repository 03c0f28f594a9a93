"""A run played on the site and downloaded is handed in for a stage exercise's scenario question and
gets the same score from the real grading pipeline (collect, autograde) as the same choices played
in the notebook player."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest

from perfcomm.course import Course
from perfcomm.grading.autograde import autograde
from perfcomm.grading.collect import collect
from perfcomm.grading.release import course_exercises, release
from perfcomm.grading.roster import read_roster
from perfcomm.grading.workdir import Workdir
from perfcomm.players.widgets import ScenarioPlayer
from perfcomm.scenario import Dialogue
from perfcomm.scenario.explore import explore

from conftest import guarded_page
from test_grading import ASSIGNMENT, right_answers, submission
from test_player import open_scenario, played

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent


def partial_run(scenario, best: int) -> list[int]:
    """Choices of a finished run that earns part of the points, so that a wrong scale or a lost
    choice would show in the score."""
    for seed in range(1000):
        rng, d, path = random.Random(seed), Dialogue(scenario, "zh"), []
        while not d.finished:
            path.append(rng.randrange(len(d.choices)) + 1)
            d.choose(path[-1] - 1)
        if 0 < d.score < best:
            return path
    raise AssertionError(f"no run of {scenario.id} scores between 0 and {best}")


def test_a_run_downloaded_from_the_page_scores_as_the_notebooks_run(browser, server, tmp_path):
    course = Course(ROOT)
    exercises, scenarios = course_exercises(course)
    exercise = next(e for e in exercises if e.assignment("zh") == ASSIGNMENT)
    question = next(q for q in exercise.questions if q.kind == "scenario")
    scenario = scenarios[question.scenario]
    best = explore(scenario).max_score
    path = partial_run(scenario, best)

    tab = guarded_page(browser, accept_downloads=True)
    player = open_scenario(tab, server, scenario.id)
    for number in path:
        player.locator(f'button[data-choice="{number}"]').click()
    with tab.expect_download() as info:
        player.locator("[data-download]").click()
    assert info.value.suggested_filename == f"{scenario.id}.json"
    from_page = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()

    notebook = ScenarioPlayer(scenario.id, lang="zh", save_to=tmp_path / "notebook-run.json", course=course)
    for number in path:
        notebook.choose(number - 1)
    from_notebook = json.loads((tmp_path / "notebook-run.json").read_text(encoding="utf-8"))
    assert from_page == from_notebook

    workdir = Workdir(tmp_path / "work")
    workdir.write_config(course, None)
    release(course, workdir, [ASSIGNMENT], say=lambda *_: None)
    released = workdir.folder("release") / ASSIGNMENT
    answers = right_answers(exercise, scenarios)
    inbox = tmp_path / "inbox"
    submission(inbox / "from-page", released, answers, from_page)
    submission(inbox / "from-notebook", released, answers, from_notebook)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nfrom-page,Page\nfrom-notebook,Notebook\n", encoding="utf-8")
    collect(workdir, ASSIGNMENT, read_roster(roster), inbox, [ASSIGNMENT],
            datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc))
    graded = autograde(workdir, ASSIGNMENT, ROOT, jobs=2, progress=lambda *a: None)
    assert sorted(graded.graded) == ["from-notebook", "from-page"] and graded.failed == []
    with workdir.gradebook() as gradebook:
        earned = {}
        for sub in gradebook.assignment_submissions(ASSIGNMENT):
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.name == f"{question.id}-test":
                        earned[sub.student.id] = grade.score
    expected = round(question.points * played(scenario, "zh", path).score / best, 2)
    assert earned == {"from-page": expected, "from-notebook": expected}
