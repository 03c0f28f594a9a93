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
        slot_form = form["slots"][number - 1]
        course = find_course()
        catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
        item = next(i for i in load_bank(course, catalogue)[0] if i.id == slot_form["item"])
        # the candidate answered with the letters shown on their form: translate the key into them
        letter = {oid: chr(65 + n) for n, oid in enumerate(slot_form["options"])}
        key = [letter[k] for k in item.key] if isinstance(item.key, list) else letter[item.key]
        return getattr(rules, item.kind)(f"slot-{number}", key, points)
    except Exception:  # noqa: BLE001 - no form, no answer or a broken file earns 0, silently
        return 0.0
