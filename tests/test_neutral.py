"""Learner text is data: each hostile answer, neutralised and then rendered by the Markdown filter
nbgrader's feedback and formgrader templates use, holds no live markup and keeps its words."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from hostile import ANSWERS, FORMATTING, FORMULA, IDS, NAMES, SHEET_NAMES
from perfcomm.grading import neutral

ALLOWED = neutral.TAGS | {"div"}
WRAPPER_CLASS = neutral.WRAPPER.split('"')[1]


def rendered(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown2html_mistune(text), "html.parser")


def live(page: BeautifulSoup) -> list[str]:
    """What nbgrader's pages would make of the rendered answer beyond plain formatting: any other
    element, any attribute (but the wrapper's class and a list's start), TeX for MathJax."""
    out = []
    for element in page.find_all(True):
        if element.name not in ALLOWED:
            out.append(element.name)
        for attribute, value in element.attrs.items():
            wrapper = (element.name, attribute) == ("div", "class") and \
                " ".join(value) == WRAPPER_CLASS
            if not wrapper and (element.name, attribute) != ("ol", "start"):
                out.append(f"{element.name}[{attribute}]")
    for text in page.find_all(string=True):
        if ("$" in text or "\\" in text) and not text.find_parent(class_="tex2jax_ignore"):
            out.append(f"TeX {text[:40]!r}")
    return out


@pytest.mark.parametrize("answer, visible", [(a, v) for _, a, v in ANSWERS], ids=IDS)
def test_hostile_answer_renders_as_text(answer, visible):
    source, changed = neutral.prose(answer)
    assert changed
    source.encode("utf-8")   # nbformat writes the notebook back as UTF-8
    page = rendered(source)
    assert live(page) == []
    assert visible in page.get_text()


def test_formatting_a_learner_may_use_is_kept_as_written():
    assert neutral.prose(FORMATTING) == (FORMATTING, False)
    page = rendered(FORMATTING)
    assert page.find("strong").get_text() == "有据可查"
    assert [li.get_text() for li in page.find_all("li")][:2] == ["复购率从 28% 提到 32%", "以 CRM 月报为准"]


def test_formatting_survives_beside_hostile_markup():
    source, _ = neutral.prose(dict((c, a) for c, a, _ in ANSWERS)["bold-and-script"])
    page = rendered(source)
    assert page.find("strong").get_text() == "要点"
    assert [li.get_text() for li in page.find_all("li")] == ["第一条", "第二条"]
    assert page.find("script") is None


def test_a_table_and_struck_words_survive_neutralising():
    table = "| 目标 | 衡量 |\n|---|---|\n| 复购率 | 32% |"
    source, changed = neutral.prose(f"{table}\n\n~~旧目标~~，https://x.example")
    assert changed   # nbconvert would link the URL
    page = rendered(source)
    assert live(page) == []
    assert [cell.get_text() for cell in page.find_all(["th", "td"])] == ["目标", "衡量", "复购率", "32%"]
    assert page.find("s").get_text() == "旧目标"


def test_a_lone_surrogate_is_replaced_so_the_notebook_can_be_written():
    assert neutral.prose("目标\ud800明确") == ("目标\ufffd明确", False)


@pytest.mark.parametrize("plain", ["三季度末前把复购率从 28% 提到 32%。", "R&D 部门 [1] 的目标", "a > b，> 引用"],
                         ids=["chinese", "ampersand-and-brackets", "quote"])
def test_plain_answers_are_left_alone(plain):
    assert neutral.prose(plain) == (plain, False)


@pytest.mark.parametrize("name", [n for _, n in NAMES], ids=[i for i, _ in NAMES])
def test_a_name_with_markup_is_stored_escaped(name):
    stored, changed = neutral.name(name)
    assert changed
    page = BeautifulSoup(f"<a>{stored}</a>", "html.parser")   # as the formgrader prints it, unescaped
    assert [e.name for e in page.find_all(True)] == ["a"]
    assert page.get_text() == name


@pytest.mark.parametrize("name", ["张伟", "O'Brien", "Anne-Marie Lu"], ids=["chinese", "apostrophe", "hyphen"])
def test_ordinary_names_are_stored_as_written(name):
    assert neutral.name(name) == (name, False)


@pytest.mark.parametrize("name", [n for _, n in SHEET_NAMES], ids=[i for i, _ in SHEET_NAMES])
def test_a_csv_cell_never_starts_a_formula(name):
    shown = neutral.cell(name)
    assert not shown.startswith(FORMULA)
    assert shown in (name, f"'{name}")


@pytest.mark.parametrize("value, shown", [(None, ""), (12.5, "12.5"), (0.0, "0.0"), ("张伟", "张伟"),
                                          (" =1+1", "' =1+1"), ("Anne-Marie", "Anne-Marie")],
                         ids=["none", "number", "zero", "chinese", "space-formula", "hyphen"])
def test_csv_cells_keep_numbers_and_ordinary_names(value, shown):
    assert neutral.cell(value) == shown
