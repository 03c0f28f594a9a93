"""Item statistics: against values worked out by hand, and on a simulated cohort whose answers
follow known item difficulty, with one deliberately bad item."""

from __future__ import annotations

import math
import random

import pytest

from perfcomm.exam.statistics import cronbach_alpha, item_statistics

# Four candidates, three items scored 0/1 (worked by hand in the comments).
MATRIX = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def records(matrix, answers=None):
    out = []
    for row_number, row in enumerate(matrix):
        slots = [(f"i{j + 1}", float(v), 1.0, (answers or {}).get((row_number, j))) for j, v in enumerate(row)]
        out.append({"total": float(sum(row)), "slots": slots})
    return out


def test_small_fixed_data_set_matches_hand_calculation():
    stats, alpha = item_statistics(records(MATRIX), {}, {})
    by_item = {s.item: s for s in stats}
    # facility: share of full marks
    assert [by_item[i].facility for i in ("i1", "i2", "i3")] == [0.75, 0.5, 0.25]
    # KR-20: k/(k-1) * (1 - Σp(1-p) / var(total)) = 3/2 * (1 - 0.625 / 1.25) = 0.75
    assert alpha == pytest.approx(0.75)
    assert cronbach_alpha(MATRIX) == pytest.approx(0.75)
    # point-biserial of item 1 with the rest of the test ([2,1,0,0]): 0.75 / (√0.75 · √2.75) ≈ 0.5222
    assert by_item["i1"].discrimination == pytest.approx(0.75 / (math.sqrt(0.75) * math.sqrt(2.75)))
    assert by_item["i3"].flags == ["too hard: facility 0.25 < 0.3"]


def test_simulated_cohort_good_items_discriminate_and_a_bad_item_is_flagged():
    rng = random.Random(7)
    difficulties = [-1.0, -0.5, 0.0, 0.0, 0.5, 1.0, 0.3, -0.3]
    keys = {f"i{j + 1}": "A" for j in range(len(difficulties))}
    keys["bad"] = "B"   # the bank says B, but the defensible answer is A: strong candidates pick A
    options = {item: ["A", "B", "C", "D"] for item in keys}
    cohort = []
    for _ in range(300):
        ability = rng.gauss(0, 1)
        slots, total = [], 0.0
        for j, b in enumerate(difficulties):
            right = rng.random() < 1 / (1 + math.exp(-1.7 * (ability - b)))
            slots.append((f"i{j + 1}", 1.0 if right else 0.0, 1.0, "A" if right else rng.choice("BCD")))
        strong = rng.random() < 1 / (1 + math.exp(-1.7 * ability))
        bad_answer = "A" if strong else rng.choice("BCD")
        slots.append(("bad", 1.0 if bad_answer == "B" else 0.0, 1.0, bad_answer))
        total = sum(s[1] for s in slots)
        cohort.append({"total": total, "slots": slots})
    stats, alpha = item_statistics(cohort, keys, options)
    by_item = {s.item: s for s in stats}
    for j in range(len(difficulties)):
        assert by_item[f"i{j + 1}"].discrimination > 0.2, by_item[f"i{j + 1}"]
    easiest, hardest = by_item["i1"], by_item["i6"]
    assert easiest.facility > hardest.facility
    bad = by_item["bad"]
    assert bad.discrimination < 0
    assert any("negative: check the key" in flag for flag in bad.flags)
    assert any("draws more of the strongest candidates than the key" in flag for flag in bad.flags)
    assert alpha is not None and alpha > 0
