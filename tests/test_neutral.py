"""Learner text is data: each hostile answer, neutralised and then rendered by the Markdown filter
nbgrader's feedback and formgrader templates use, holds no live markup and keeps its words."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from hostile import ANSWERS, FORMATTING, IDS, NAMES
from perfcomm.grading import neutral

ALLOWED = neutral.TAGS | {"div"}


def rendered(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown2html_mistune(text), "html.parser")


@pytest.mark.parametrize("answer, visible", [(a, v) for _, a, v in ANSWERS], ids=IDS)
def test_hostile_answer_renders_as_text(answer, visible):
    source, changed = neutral.prose(answer)
    assert changed
    page = rendered(source)
    for element in page.find_all(True):
        assert element.name in ALLOWED, element
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), element
            assert "javascript:" not in str(value).lower(), element
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
