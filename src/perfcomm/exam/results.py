"""Exam results from the gradebook: total, sub-score per stage, pass or fail."""

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

    @property
    def share(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


def exam_results(workdir, exam: str, forms_dir: Path, pass_mark: float) -> list[Result]:
    results = []
    with workdir.gradebook() as gradebook:
        for submission in gradebook.assignment_submissions(exam):
            candidate = submission.student.id
            form_file = forms_dir / f"{candidate}.json"
            if not form_file.is_file():
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
                                  tuple(slots)))
    return sorted(results, key=lambda r: r.candidate)
