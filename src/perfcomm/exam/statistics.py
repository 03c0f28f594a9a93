"""Item statistics in the manner of Moodle's quiz report: facility, discrimination (point-biserial
with the rest of the test), Cronbach's α (KR-20 for items scored 0/1), distractor analysis, and
weak items flagged with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import sqrt
from statistics import mean, pvariance

FACILITY_LOW, FACILITY_HIGH = 0.3, 0.9
DISCRIMINATION_MIN = 0.2


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = mean(xs), mean(ys)
    sx = sqrt(sum((x - mx) ** 2 for x in xs))
    sy = sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (sx * sy)


def cronbach_alpha(matrix: list[list[float]]) -> float | None:
    """Rows are candidates, columns are slots. Equals KR-20 when every score is 0 or 1."""
    if len(matrix) < 2 or not matrix[0]:
        return None
    k = len(matrix[0])
    totals = [sum(row) for row in matrix]
    total_var = pvariance(totals)
    if k < 2 or total_var == 0:
        return None
    item_var = sum(pvariance([row[j] for row in matrix]) for j in range(k))
    return k / (k - 1) * (1 - item_var / total_var)


@dataclass
class ItemStats:
    item: str
    attempts: int
    facility: float
    discrimination: float | None
    choices: dict = field(default_factory=dict)       # option id -> times chosen
    upper_choices: dict = field(default_factory=dict)  # option id -> times chosen by the top 27%
    lower_choices: dict = field(default_factory=dict)
    flags: list = field(default_factory=list)


def item_statistics(records: list[dict], keys: dict, options: dict,
                    kinds: dict | None = None) -> tuple[list[ItemStats], float | None]:
    """records: per candidate {"total": float, "slots": [(item, earned, possible, answer), …]}.
    keys: item -> key; options: item -> option ids; kinds: item -> kind (an ordering item's answer
    names every step, so it has no distractors to count). Returns per-item statistics and α."""
    by_item: dict[str, list[tuple[float, float, object]]] = {}
    ranked = sorted(records, key=lambda r: r["total"])
    cut = max(1, round(0.27 * len(ranked)))
    lower = {id(r) for r in ranked[:cut]}
    upper = {id(r) for r in ranked[-cut:]}
    group_of = {}
    for record in records:
        for item, earned, possible, answer in record["slots"]:
            share = earned / possible if possible else 0.0
            rest = record["total"] - earned
            by_item.setdefault(item, []).append((share, rest, answer))
            group_of.setdefault(item, []).append("upper" if id(record) in upper else
                                                 "lower" if id(record) in lower else "middle")
    stats = []
    for item, rows in sorted(by_item.items()):
        shares = [r[0] for r in rows]
        s = ItemStats(item, len(rows), mean(shares), pearson(shares, [r[1] for r in rows]))
        for (share, _, answer), group in zip(rows, group_of[item]):
            if (kinds or {}).get(item) == "order":
                break
            chosen = answer if isinstance(answer, list) else [answer] if answer is not None else []
            for option in chosen:
                s.choices[option] = s.choices.get(option, 0) + 1
                if group == "upper":
                    s.upper_choices[option] = s.upper_choices.get(option, 0) + 1
                if group == "lower":
                    s.lower_choices[option] = s.lower_choices.get(option, 0) + 1
        s.flags = flags(s, keys.get(item), options.get(item, []))
        stats.append(s)
    matrix = [[earned / possible if possible else 0 for _, earned, possible, _ in r["slots"]] for r in records
              if len(r["slots"]) == len(records[0]["slots"])]
    return stats, cronbach_alpha(matrix)


def flags(s: ItemStats, key, option_ids: list[str]) -> list[str]:
    out = []
    if s.facility < FACILITY_LOW:
        out.append(f"too hard: facility {s.facility:.2f} < {FACILITY_LOW}")
    if s.facility > FACILITY_HIGH:
        out.append(f"too easy: facility {s.facility:.2f} > {FACILITY_HIGH}")
    if s.discrimination is not None and s.discrimination < DISCRIMINATION_MIN:
        out.append(f"poor discrimination {s.discrimination:.2f} < {DISCRIMINATION_MIN}"
                   + (" (negative: check the key)" if s.discrimination < 0 else ""))
    if isinstance(key, str):
        for option in option_ids:
            if option == key:
                continue
            if s.attempts >= 10 and not s.choices.get(option):
                out.append(f"distractor {option} chosen by nobody")
            if s.upper_choices.get(option, 0) > s.upper_choices.get(key, 0):
                out.append(f"distractor {option} draws more of the strongest candidates than the key")
    return out
