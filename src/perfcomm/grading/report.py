"""The cohort report: one self-contained HTML page (inline SVG, no outside requests) with the score
distribution and each checkpoint's mastery across the cohort, read from the gradebook, and the
prose answers grading showed as plain text (neutral.py), with where each file as handed in is kept."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat

from ..players.words import words
from .neutral import WRAPPER
from .workdir import Workdir


def cohort_scores(workdir: Workdir, assignment: str, exercise) -> tuple[list[dict], dict]:
    """Per learner {id, score, max}; per checkpoint the share of its points the cohort earned."""
    question_of = {}
    for q in exercise.questions:
        question_of[f"{q.id}-test"] = q
        question_of[q.id] = q
    learners, earned, possible = [], {}, {}
    with workdir.gradebook() as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            learners.append({"id": submission.student.id, "score": submission.score,
                             "max": submission.max_score, "needs_manual": submission.needs_manual_grade})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    q = question_of.get(grade.name)
                    if q is None or grade.score is None:
                        continue
                    for cp in q.checkpoints or ():
                        earned[cp] = earned.get(cp, 0.0) + grade.score
                        possible[cp] = possible.get(cp, 0.0) + grade.max_score
    mastery = {cp: earned[cp] / possible[cp] for cp in sorted(possible) if possible[cp]}
    return sorted(learners, key=lambda r: r["id"]), mastery


def shown_as_text(workdir: Workdir, assignment: str, learners: list[str]) -> list[tuple]:
    """(learner, question, file as handed in) for every prose answer grading neutralised."""
    found = []
    for learner in learners:
        for path in sorted((workdir.folder("autograded") / learner / assignment).glob("*.ipynb")):
            try:
                cells = nbformat.read(path, as_version=4).cells
            except Exception:  # noqa: BLE001 - nbgrader wrote it; an unreadable one lists nothing
                continue
            for cell in cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("solution") and cell.cell_type == "markdown" and \
                        cell.source.startswith(WRAPPER):
                    kept = f"originals/{learner}/{assignment}/{path.name}"
                    found.append((learner, meta.get("grade_id", ""), kept))
    return found


def _histogram(values: list[float], top: float, label: str) -> str:
    bins = 10
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int(bins * v / top)) if top else 0] += 1
    peak, width, height = max(counts) or 1, 400, 160
    bars = []
    for i, count in enumerate(counts):
        h = height * count / peak
        x = 30 + i * 36
        bars.append(f'<rect x="{x}" y="{10 + height - h:.1f}" width="30" height="{h:.1f}" fill="#26a69a">'
                    f"<title>{count}</title></rect>"
                    f'<text x="{x + 15}" y="{height + 25}" font-size="10" text-anchor="middle">'
                    f"{top * i / bins:g}</text>")
    return (f'<svg role="img" aria-label="{html.escape(label)}" width="{width}" height="{height + 40}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')


def _mastery_bars(mastery: dict, label: str) -> str:
    rows, height = [], 18
    for i, (cp, share) in enumerate(mastery.items()):
        y = 5 + i * (height + 4)
        colour = "#2e7d32" if share >= 0.7 else "#f9a825" if share >= 0.4 else "#c62828"
        rows.append(f'<text x="0" y="{y + 13}" font-size="11">{html.escape(cp)}</text>'
                    f'<rect x="190" y="{y}" width="{300 * share:.1f}" height="{height}" fill="{colour}"/>'
                    f'<text x="{195 + 300 * share:.1f}" y="{y + 13}" font-size="11">{share:.0%}</text>')
    total = 10 + len(mastery) * (height + 4)
    return (f'<svg role="img" aria-label="{html.escape(label)}" width="560" height="{total}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>')


def _shown_as_text_table(found: list, w: dict) -> str:
    if not found:
        return ""
    rows = "".join(f"<tr><td>{html.escape(who)}</td><td>{html.escape(q)}</td>"
                   f"<td><code>{html.escape(where)}</code></td></tr>" for who, q, where in found)
    head = "".join(f"<th>{html.escape(w[k])}</th>" for k in ("learner", "question", "handed_in"))
    title, note = html.escape(w["shown_as_text"]), html.escape(w["shown_as_text_note"])
    return f"<h2>{title}</h2><p>{note}</p><table><tr>{head}</tr>{rows}</table>"


def write_report(workdir: Workdir, assignment: str, exercise, lang: str, to: Path) -> Path:
    w = words(lang)["report"]
    learners, mastery = cohort_scores(workdir, assignment, exercise)
    top = exercise.total_points
    scores = [r["score"] for r in learners]
    mean = sum(scores) / len(scores) if scores else 0
    rows = "".join(f"<tr><td>{html.escape(r['id'])}</td><td>{r['score']:.1f}</td><td>{r['max']:.0f}</td>"
                   f"<td>{w['pending'] if r['needs_manual'] else ''}</td></tr>" for r in learners)
    neutralised = shown_as_text(workdir, assignment, [r["id"] for r in learners])
    rubric = "".join(f"<h3>{html.escape(q.id)}</h3><ul>" + "".join(f"<li>{html.escape(item)}</li>"
                                                                      for item in q.rubric[lang]) + "</ul>"
                     for q in exercise.questions if q.kind == "prose")
    page = f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(w['title'])} · {html.escape(assignment)}</title>
<style>body{{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
max-width:60em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:.2em .6em}}</style></head><body>
<h1>{html.escape(w['title'])} · {html.escape(exercise.title[lang])}</h1>
<p>{w['summary'].format(n=len(learners), mean=mean, top=top)}</p>
<h2>{html.escape(w['distribution'])}</h2>{_histogram(scores, top, w['distribution'])}
<h2>{html.escape(w['mastery'])}</h2><p>{html.escape(w['mastery_note'])}</p>{_mastery_bars(mastery, w['mastery'])}
<h2>{html.escape(w['learners'])}</h2><table><tr><th>{w['learner']}</th><th>{w['score']}</th><th>{w['max']}</th>
<th></th></tr>{rows}</table>
{_shown_as_text_table(neutralised, w)}
<h2>{html.escape(w['rubrics'])}</h2>{rubric}
</body></html>"""
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_text(page, encoding="utf-8")
    return to
