"""`perfcomm kit`: the workshop kit built for both agendas and both languages, read back the way a
person would see it — pdfinfo page counts, pdftotext text, a page rendered by pdftoppm — and the
editable forms opened with python-docx and openpyxl; mistakes in the kit's data files as a table."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import pytest

from perfcomm.cli import main
from perfcomm.course import Course
from perfcomm.kit.build import load_course, practised_stages

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PARTICIPANTS = 26
KINDS = ("agenda", "role-cards", "observer", "voting", "goal-form", "checkin", "feedback-prep", "improvement-plan",
         "sign-in", "feedback-form")


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def ink_share(path: Path, page: int = 1) -> float:
    """The share of non-white pixels on a page rendered at 30 dpi (a binary PGM from pdftoppm)."""
    data = subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", str(page), "-l", str(page), str(path)],
                          capture_output=True, check=True).stdout
    fields, rest = data.split(maxsplit=4)[:4], data.split(maxsplit=4)[4]
    width, height = int(fields[1]), int(fields[2])
    pixels = rest[-width * height:]
    return sum(1 for b in pixels if b < 200) / len(pixels)


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed (make test installs it)")
    out = {}
    for agenda in ("half-day", "full-day"):
        for lang in ("zh", "en"):
            folder = tmp_path_factory.mktemp(f"kit-{agenda}-{lang}")
            code = main(["kit", "--agenda", agenda, "--lang", lang, "--participants", str(PARTICIPANTS),
                         "--out", str(folder)])
            assert code == 0
            out[agenda, lang] = folder
    return out


def files(folder: Path, kind: str, suffix: str = "pdf") -> Path:
    found = sorted(folder.glob(f"*-{kind}.*.{suffix}"))
    assert len(found) == 1, f"{kind}: {found}"
    return found[0]


@pytest.mark.parametrize("agenda", ["half-day", "full-day"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_item_is_a_printable_a4_pdf_with_ink_on_it(kits, agenda, lang):
    folder = kits[agenda, lang]
    for kind in KINDS:
        pdf = files(folder, kind)
        assert 5_000 < pdf.stat().st_size < 3_000_000, pdf
        assert "(A4)" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert ink_share(pdf) > 0.005, f"{pdf.name}: the first page looks blank"
    index = (folder / "index.html").read_text(encoding="utf-8")
    for kind in KINDS:
        assert files(folder, kind).name in index


@pytest.mark.parametrize("agenda", ["half-day", "full-day"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kit_holds_the_agendas_stages_checkpoints_and_cases(kits, agenda, lang):
    folder = kits[agenda, lang]
    course = Course(ROOT)
    kit, catalogue, ui, agendas, lessons = load_course(course)
    stages = practised_stages(agendas[agenda], lessons)
    agenda_text = pdf_text(files(folder, "agenda"))
    for row in agendas[agenda]:
        assert row.start in agenda_text and row.label[lang].split()[0] in agenda_text
    observer = files(folder, "observer")
    assert pdf_pages(observer) == len(stages)
    observer_text = " ".join(pdf_text(observer).split())
    for stage in stages:
        assert catalogue.stages[stage][lang].split()[0] in observer_text
        for cp in catalogue.of_stage(stage):
            assert cp.name[lang] in observer_text, cp.id
    cards = [card for card in kit.cards if card.stage in stages]
    role_cards = files(folder, "role-cards")
    assert pdf_pages(role_cards) == 2 * len(cards)
    card_text = " ".join(pdf_text(role_cards).split())
    for card in cards:
        assert " ".join(card.title[lang].split())[:12] in card_text
    assert pdf_pages(files(folder, "sign-in")) == math.ceil(PARTICIPANTS / kit.sign_in_rows)
    assert pdf_pages(files(folder, "voting")) == 2
    assert all(letter in pdf_text(files(folder, "voting")) for letter in "ABCD")


LESSON_CASES = {"half-day": {"00-hr-role", "01-goal-setting", "03-appraisal-feedback"},
                "full-day": {"00-hr-role", "01-goal-setting", "02-during-period", "03-appraisal-feedback",
                             "04-improvement", "05-cycle"}}


def squashed(text: str) -> str:
    """Text without any whitespace: pdftotext breaks Chinese lines anywhere."""
    return "".join(text.split()).casefold()


@pytest.mark.parametrize("agenda", ["half-day", "full-day"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_practised_lesson_case_prints_its_manager_and_employee_cards(kits, agenda, lang):
    kit, _, _, _, _ = load_course(Course(ROOT))
    lesson_cards = {card.ref: card for card in kit.cards if card.source == "lesson"}
    assert set(lesson_cards) == LESSON_CASES["full-day"]          # every lesson's worked case has a card
    text = squashed(pdf_text(files(kits[agenda, lang], "role-cards")))
    origin = kit.words["case_from_lesson"][lang]
    for ref, card in lesson_cards.items():
        shown = [squashed(line)[:16] in text for line in                   # title first
                 (card.title[lang], card.situation[lang], card.texts["facts"][lang][0],
                  card.background[lang], card.texts["will_say"][lang][0], card.texts["poor"][lang])]
        label = squashed(origin.format(n=int(ref.split("-")[0])))
        if ref in LESSON_CASES[agenda]:
            assert all(shown), (ref, shown)
            assert label in text, ref
        else:                                                      # a lesson this agenda only teaches
            assert not shown[0], ref
            assert label not in text, ref


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_editable_forms_open_and_hold_their_fields(kits, lang):
    from docx import Document
    from openpyxl import load_workbook

    folder = kits["full-day", lang]
    kit = load_course(Course(ROOT))[0]
    for name, template in kit.templates.items():
        path = files(folder, name, template["format"])
        labels = [spec["label"][lang] for spec in template["fields"]]
        columns = [c[lang] for spec in template["fields"] if "table" in spec for c in spec["table"]["columns"]]
        if template["format"] == "docx":
            doc = Document(path)
            text = [p.text for p in doc.paragraphs]
            cells = [cell.text for table in doc.tables for cell in table.rows[0].cells]
        else:
            sheet = load_workbook(path).active
            text = cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert all(label in text for label in labels), name
        assert all(column in cells for column in columns), name


def test_copies_follow_the_group_size(kits):
    index = (kits["full-day", "zh"] / "index.html").read_text(encoding="utf-8")
    trios = math.ceil(PARTICIPANTS / 3)
    assert f'<td class="num">{PARTICIPANTS + 1}</td>' in index        # agenda: everyone and the facilitator
    assert f'<td class="num">{trios * 3}</td>' in index                # observer sheets: three rounds per trio


def edit(course, rel, old, new):
    path = course / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(course, rel, needle):
    return next(n for n, line in enumerate((course / rel).read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


MISTAKES = [
    pytest.param("lessons/kit.yaml", "title: {zh: 议程, en: Agenda}", "title: {zh: 议程}",
                 "title: {zh: 议程}", "item 'agenda' title: the 'en' text is missing", id="kit-text-missing-en"),
    pytest.param("lessons/kit.yaml", "copies: {per: participant, plus: 1}", "copies: {per: participants, plus: 1}",
                 "per: participants", "copies per must be one of participant, trio, facilitator, once — did you mean"
                 " 'participant'?", id="kit-copies-per-typo"),
    pytest.param("lessons/roleplay.yaml", "scenario: s4-plan-slipping", "scenario: s4-plan-slippin",
                 "scenario: s4-plan-slippin", "no such scenario — did you mean 's4-plan-slipping'?",
                 id="card-unknown-scenario"),
    pytest.param("lessons/roleplay.yaml", "      zh: [“好的，没问题。”（对每一项都这么答）,",
                 "      zh: [“好的，没问题。”（对每一项都这么答）, 多出来的一句,", "多出来的一句",
                 "zh and en have a different number of lines", id="card-lists-differ"),
]


@pytest.mark.parametrize("rel, old, new, needle, message", MISTAKES)
def test_mistakes_in_the_kit_files_are_located(course_copy, capsys, rel, old, new, needle, message):
    edit(course_copy, rel, old, new)
    code = main(["check"])
    output = capsys.readouterr()
    assert code == 1
    line = line_of(course_copy, rel, needle) if rel == "lessons/kit.yaml" else None
    found = [row for row in (output.out + output.err).splitlines() if message in row]
    assert found, output.out + output.err
    assert found[0].startswith(f"{rel}:")
    if line is not None and "copies" not in message:
        assert found[0].startswith(f"{rel}:{line}:")


def test_a_scenario_without_a_role_card_is_reported(course_copy, capsys):
    text = (course_copy / "lessons/roleplay.yaml").read_text(encoding="utf-8")
    start = text.index("  - scenario: s4-plan-slipping")
    end = text.index("  - scenario:", start + 10)
    (course_copy / "lessons/roleplay.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert main(["check"]) == 1
    assert "scenario 's4-plan-slipping' has no role card" in capsys.readouterr().out


def test_an_unknown_agenda_is_refused_with_the_known_ones(course_copy, capsys, tmp_path):
    assert main(["kit", "--agenda", "half-days", "--out", str(tmp_path / "k")]) == 2
    err = capsys.readouterr().err
    assert "no agenda 'half-days' — did you mean 'half-day'?" in err and "full-day" in err


def test_the_facilitator_guide_links_every_item_of_the_kit_on_the_site(built_site):
    from bs4 import BeautifulSoup

    kit = load_course(Course(ROOT))[0]
    for prefix, lang in (("", "zh"), ("en/", "en")):
        page = built_site / prefix / "facilitator/index.html"
        links = [a["href"] for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href]")
                 if "/kit/" in a["href"]]
        for item in kit.items:
            assert any(f"-{item['id']}.{lang}.pdf" in href for href in links), (lang, item["id"])
        for href in links:
            assert (page.parent / href).resolve().is_file(), href
