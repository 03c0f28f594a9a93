"""The grades as the CSV file HR opens in Excel: nbgrader's export (same columns, same values, one
row per learner and assignment), but written as real CSV. nbgrader's own exporter joins the values
with commas unquoted, so a roster name holding a comma or a line break shifts the columns or adds
a forged row, and one starting with "=" runs as a formula; here every cell is quoted as needed and
a name or e-mail a spreadsheet would take for a formula keeps a quote before it (neutral.cell)."""

from __future__ import annotations

import csv
import html
from pathlib import Path

from . import neutral

COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
           "raw_score", "late_submission_penalty", "score", "max_score"]


def rows(gradebook):
    """One dict per (assignment, learner), as nbgrader's CsvExportPlugin computes it."""
    from nbgrader.api import MissingEntry

    for assignment in gradebook.assignments:
        for student in gradebook.students:
            row = {"assignment": assignment.name, "duedate": assignment.duedate, "student_id": student.id,
                   # names with markup are kept escaped for nbgrader's pages (neutral.name); a
                   # spreadsheet is not a page: the roster's own name
                   "last_name": html.unescape(student.last_name or ""),
                   "first_name": html.unescape(student.first_name or ""),
                   "email": student.email, "max_score": assignment.max_score}
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                row |= {"timestamp": "", "raw_score": 0.0, "late_submission_penalty": 0.0, "score": 0.0}
            else:
                penalty = submission.late_submission_penalty
                row |= {"timestamp": submission.timestamp, "raw_score": submission.score,
                        "late_submission_penalty": penalty,
                        "score": max(0.0, submission.score - penalty)}
            yield row


def write(workdir, to: Path) -> Path:
    """Write the grades to `to`, UTF-8 with a byte-order mark so that Excel reads Chinese names."""
    to.parent.mkdir(parents=True, exist_ok=True)
    with workdir.gradebook() as gradebook, to.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows(gradebook):
            writer.writerow([neutral.cell(row[column]) for column in COLUMNS])
    return to
