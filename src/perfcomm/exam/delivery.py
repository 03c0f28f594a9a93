"""Deliver the exam: one nbgrader assignment (slots 1…N, each worth one point) whose content is the
candidate's own form. Grader side: exam/forms/<candidate>.json (item ids and option order, no keys).
Candidate side: deliver/<candidate>/<exam>/ = the released notebook + questions.json (texts only), and
the same as deliver-zip/<candidate>.zip, which the candidate uploads into the exam's page in the browser.
Forms are written into a scratch folder and moved into place only when every one is built."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import nbformat

from ..exercise.build import HAND_IN, code_cell, markdown_cell
from ..players.words import words
from .blueprint import Blueprint, draw_form

QUESTIONS = "questions.json"
ZIPS = "deliver-zip"     # <candidate>.zip: the delivery folder as one file, for the exam in the browser


def exam_notebook(blueprint: Blueprint):
    """One notebook for every candidate (both languages): each slot shows the candidate's own item."""
    zh, en = words("zh")["exam"], words("en")["exam"]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}   # the browser's kernel is found by language
    cells = [markdown_cell(f"# {blueprint.title['zh']} / {blueprint.title['en']}\n\n{blueprint.intro['zh']}\n\n"
                       f"{blueprint.intro['en']}", "intro"),
             code_cell("from perfcomm.exercise.form import item, sitting\nsitting()", "setup")]
    for slot in range(1, blueprint.length + 1):
        cells.append(markdown_cell(f"## {zh['item'].format(n=slot)} / {en['item'].format(n=slot)}", f"slot-{slot}-prompt"))
        cells.append(code_cell(f"item({slot})", f"slot-{slot}-answer"))
        cells.append(code_cell(f"# {zh['autograded']} / {en['autograded']}\n### BEGIN HIDDEN TESTS\n"
                           f"from perfcomm.exam import scoring\nscoring.slot({slot})\n### END HIDDEN TESTS",
                           f"slot-{slot}-test", grade=True, points=1))
    cells.append(markdown_cell(f"{zh['closing']}\n\n{en['closing']}", "closing"))
    cells.append(code_cell(HAND_IN, "hand-in"))
    nb.cells = cells
    return nb


def form_view(form: list[dict], bank: dict, lang: str, candidate: str, sitting: dict | None = None) -> dict:
    """What the candidate's questions.json holds: texts in the shown order, never a key; and the
    sitting's rules (window, time limit, which attempt), which the notebook shows."""
    slots = {}
    for number, slot in enumerate(form, 1):
        item = bank[slot["item"]]
        slots[str(number)] = {
            "kind": item.kind,
            "prompt": item.prompt[lang],
            "excerpt": [[speaker, text[lang]] for speaker, text in item.excerpt],
            # shown as A, B, C… in this form's order: the bank's own option ids never reach the candidate
            "options": [[chr(65 + n), item.option(oid).text[lang]] for n, oid in enumerate(slot["options"])],
        }
    return {"candidate": candidate, "lang": lang, "sitting": sitting, "slots": slots}


def build_forms(exam_dir: Path, release_dir: Path, blueprint: Blueprint, bank_items, roster, seed,
                sittings: dict | None = None) -> None:
    """Write every candidate's form and delivery folder, or nothing at all. `sittings`: candidate ->
    the rules of their sitting, written into both the form and the delivered questions."""
    bank = {i.id: i for i in bank_items}
    with tempfile.TemporaryDirectory(dir=exam_dir.parent) as scratch:
        forms, deliver, zips = Path(scratch) / "forms", Path(scratch) / "deliver", Path(scratch) / ZIPS
        forms.mkdir()
        zips.mkdir()
        for candidate in roster:
            form = draw_form(blueprint, bank_items, seed, candidate.id)
            sitting = (sittings or {}).get(candidate.id)
            (forms / f"{candidate.id}.json").write_text(json.dumps({"candidate": candidate.id, "seed": seed,
                                                                    "lang": candidate.lang, "sitting": sitting,
                                                                    "slots": form},
                                                                   ensure_ascii=False, indent=1), encoding="utf-8")
            folder = deliver / candidate.id / blueprint.name
            shutil.copytree(release_dir, folder)
            view = form_view(form, bank, candidate.lang, candidate.id, sitting)
            (folder / QUESTIONS).write_text(json.dumps(view, ensure_ascii=False, indent=1), encoding="utf-8")
            # the same folder as one file, for the candidate who sits the exam in the browser (/lab/)
            shutil.make_archive(str(zips / candidate.id), "zip", root_dir=deliver, base_dir=candidate.id)
        exam_dir.mkdir(parents=True, exist_ok=True)
        for name in ("forms", "deliver", ZIPS):
            if (exam_dir / name).exists():
                shutil.rmtree(exam_dir / name)
            shutil.move(str(Path(scratch) / name), str(exam_dir / name))
