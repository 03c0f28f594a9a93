"""Roster CSV mistakes: each reported with its row, never a traceback."""

from __future__ import annotations

import pytest

from perfcomm.grading.roster import read_roster
from perfcomm.problems import ContentError

CASES = [
    ("id,name\nzhang.wei,张伟\nzhang.wei,张伟\n", "roster.csv:3: learner id 'zhang.wei' appears twice (first at row 2)"),
    ("", "roster.csv:1: the roster is empty"),
    ("learner,fullname\na,b\n", "roster.csv:1: the header must have the columns id,name"),
    ("id,name\nzhang wei,张伟\n", "roster.csv:2: learner id 'zhang wei' must be letters"),
]


@pytest.mark.parametrize("text, message", CASES, ids=["duplicate-id", "empty", "wrong-columns", "bad-id"])
def test_bad_roster(tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        read_roster(path, "roster.csv")
    assert any(str(p).startswith(message) for p in err.value.problems), err.value.problems


def test_non_utf8_roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("id,name\nzhang.wei,张伟\n".encode("gbk"))
    with pytest.raises(ContentError, match="not UTF-8"):
        read_roster(path, "roster.csv")


def test_good_roster_with_bom_and_email(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffid,name,email\nzhang.wei,张伟,zw@example.com\nli.na,李娜,\n", encoding="utf-8")
    learners = read_roster(path)
    assert [(l.id, l.name, l.email) for l in learners] == [("zhang.wei", "张伟", "zw@example.com"), ("li.na", "李娜", "")]
