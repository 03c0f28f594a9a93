"""The exam's hidden tests: score slot n of the candidate's form. The candidate is the folder nbgrader
grades in (autograded/<candidate>/<exam>/), the form comes from the grader's forms folder
(PERFCOMM_EXAM_FORMS) and the key from the bank; nothing of either is in the candidate's files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..exercise import scoring as rules


def slot(number: int, points: float = 1.0) -> float:
    try:
        from ..catalogue import load_catalogue
        from ..course import find_course
        from .bank import load_bank

        candidate = Path.cwd().parent.name
        form = json.loads((Path(os.environ["PERFCOMM_EXAM_FORMS"]) / f"{candidate}.json").read_text(encoding="utf-8"))
        item_id = form["slots"][number - 1]["item"]
        course = find_course()
        catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
        item = next(i for i in load_bank(course, catalogue)[0] if i.id == item_id)
        return getattr(rules, item.kind)(f"slot-{number}", item.key, points)
    except Exception:  # noqa: BLE001 - no form, no answer or a broken file earns 0, silently
        return 0.0
