"""Exam results from the gradebook: total, sub-score per stage, pass or fail — for the candidates
whose hand-in counts in this work directory's sitting (sittings.standing): a late or out-of-window
hand-in counts once HR has accepted it; one HR has not decided on, or rejected, is held back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    candidate: str
    score: float
    max_score: float
    stages: dict          # stage -> [earned, possible]
    passed: bool
    slots: tuple          # (item id, points earned, points possible) per slot
    note: str = ""        # e.g. a late hand-in HR accepted

    @property
    def share(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


def _graded(workdir, exam: str) -> dict:
    """candidate -> the hand-in time nbgrader recorded for the graded submission."""
    with workdir.gradebook() as gradebook:
        return {s.student.id: s.timestamp for s in gradebook.assignment_submissions(exam)}


def held_back(workdir, exam: str, forms_dir: Path) -> list[tuple[str, str]]:
    """(candidate, why) for every graded submission that is not in the results."""
    from .sittings import standing

    graded = _graded(workdir, exam)
    out = [(c, s.reason) for c, s in sorted(standing(workdir, exam, graded).items()) if not s.counts]
    handed_in_here = {p.parent.name for p in workdir.folder("submitted").glob(f"*/{exam}")}
    out += [(c, "graded, but was given no form in this sitting — not in the results") for c in sorted(graded)
            if c in handed_in_here and not (forms_dir / f"{c}.json").is_file()]
    return sorted(out)


def exam_results(workdir, exam: str, forms_dir: Path, pass_mark: float) -> list[Result]:
    from .sittings import Standing, standing

    counted = standing(workdir, exam, _graded(workdir, exam))
    results = []
    with workdir.gradebook() as gradebook:
        for submission in gradebook.assignment_submissions(exam):
            candidate = submission.student.id
            form_file = forms_dir / f"{candidate}.json"
            status = counted.get(candidate, Standing(True))
            if not form_file.is_file() or not status.counts:
                continue
            form = json.loads(form_file.read_text(encoding="utf-8"))
            by_name = {g.name: g for nb in submission.notebooks for g in nb.grades}
            stages: dict = {}
            slots = []
            for number, slot in enumerate(form["slots"], 1):
                grade = by_name.get(f"slot-{number}-test")
                earned = float(grade.score or 0) if grade else 0.0
                possible = float(grade.max_score) if grade else 1.0
                pair = stages.setdefault(slot["stage"], [0.0, 0.0])
                pair[0] += earned
                pair[1] += possible
                slots.append((slot["item"], earned, possible))
            score = sum(e for _, e, _ in slots)
            top = sum(p for _, _, p in slots)
            results.append(Result(candidate, round(score, 2), top, stages, top > 0 and score / top >= pass_mark - 1e-9,
                                  tuple(slots), status.note))
    return sorted(results, key=lambda r: r.candidate)
