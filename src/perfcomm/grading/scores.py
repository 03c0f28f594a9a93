"""Scores per learner and question from the gradebook, and what differs between two gradings of the
same cohort: the learner, the question, both scores and the kernel's error in that question's cell
(from the autograded notebook's outputs), so that a difference can be explained, not just seen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from .workdir import Workdir

MISSING = "(not graded)"


def question_scores(workdir: Workdir, assignment: str) -> dict[str, dict[str, float | None]]:
    """learner -> {grade cell: score} for every submission in the gradebook."""
    out = {}
    with workdir.gradebook() as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            out[submission.student.id] = {grade.name: None if grade.score is None else round(grade.score, 4)
                                          for notebook in submission.notebooks for grade in notebook.grades}
    return out


def cell_errors(workdir: Workdir, assignment: str, learner: str) -> dict[str, str]:
    """grade cell -> the error its outputs hold in the autograded notebook ('' when it ran cleanly);
    MISSING for every cell when nbgrader left no autograded notebook (it failed and removed it)."""
    folder = workdir.folder("autograded") / learner / assignment
    errors: dict[str, str] = {}
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        return {"*": f"{MISSING}: no autograded notebook in {folder}"}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            failed = [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.get("outputs", [])
                      if o.get("output_type") == "error"]
            if gid:
                errors[gid] = "; ".join(failed)
    return errors


@dataclass(frozen=True)
class Difference:
    learner: str
    question: str
    first: float | None
    second: float | None
    first_error: str
    second_error: str

    def __str__(self) -> str:
        def side(score, error):
            shown = MISSING if score is None else f"{score:g}"
            return f"{shown} ({error})" if error else shown
        return (f"{self.learner} {self.question}: {side(self.first, self.first_error)} against"
                f" {side(self.second, self.second_error)}")


def differences(first: Workdir, second: Workdir, assignment: str) -> list[Difference]:
    """Every (learner, question) whose score differs between two gradings, each side's error beside it."""
    a, b = question_scores(first, assignment), question_scores(second, assignment)
    found = []
    for learner in sorted(set(a) | set(b)):
        mine, theirs = a.get(learner, {}), b.get(learner, {})
        changed = [q for q in sorted(set(mine) | set(theirs)) if mine.get(q) != theirs.get(q)]
        if not changed:
            continue
        errors_a, errors_b = cell_errors(first, assignment, learner), cell_errors(second, assignment, learner)
        for question in changed:
            found.append(Difference(learner, question, mine.get(question), theirs.get(question),
                                    errors_a.get(question, errors_a.get("*", "")),
                                    errors_b.get(question, errors_b.get("*", ""))))
    return found


def log_lines(log: Path, learner: str) -> list[str]:
    """The lines of a grading log that name this learner (nbgrader names the learner on each error)."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if learner in line]
