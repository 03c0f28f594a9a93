"""Conditions and effects on scenario variables: `trust >= 60 and clarity > 20`, `{trust: -10}`.

A deliberately small language: comparisons of a variable with a whole number, joined by `and`/`or`
(`and` binds tighter). Parsed once into a tuple tree, evaluated without eval().
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+)|(?P<op>>=|<=|==|!=|>|<)|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<bad>\S))")
OPS = {
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b, ">": lambda a, b: a > b, "<": lambda a, b: a < b,
}


class ConditionError(ValueError):
    pass


def parse(text: str):
    """'trust >= 60 and x < 2' -> ('or', [('and', [('cmp', 'trust', '>=', 60), …])])."""
    tokens = []
    for match in TOKEN.finditer(str(text)):
        if match.group("bad"):
            raise ConditionError(f"unexpected '{match.group('bad')}' in condition '{text}'")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
    if not tokens:
        raise ConditionError("empty condition")
    alternatives, current, i = [], [], 0
    while i < len(tokens):
        if len(tokens) - i < 3 or tokens[i][0] != "word" or tokens[i + 1][0] != "op" or tokens[i + 2][0] != "num":
            raise ConditionError(f"condition '{text}' must read like 'trust >= 60' (variable, comparison,"
                                 " whole number), joined by 'and' / 'or'")
        current.append(("cmp", tokens[i][1], tokens[i + 1][1], int(tokens[i + 2][1])))
        i += 3
        if i < len(tokens):
            joiner = tokens[i]
            if joiner not in (("word", "and"), ("word", "or")) or i + 1 == len(tokens):
                raise ConditionError(f"condition '{text}': expected 'and' or 'or' after a comparison")
            if joiner[1] == "or":
                alternatives.append(current)
                current = []
            i += 1
    alternatives.append(current)
    return ("or", [("and", group) for group in alternatives])


def variables_in(tree) -> list[str]:
    return [cmp[1] for _, group in tree[1] for cmp in group]


def holds(tree, values: dict) -> bool:
    return any(all(OPS[op](values[name], number) for _, name, op, number in group) for _, group in tree[1])


def could_hold(tree, bounds: dict) -> bool:
    """False when no value within the variables' declared [min, max] makes the condition true."""
    def cmp_possible(name, op, number):
        low, high = bounds[name]
        return {
            ">=": high >= number, ">": high > number, "<=": low <= number, "<": low < number,
            "==": low <= number <= high, "!=": not (low == high == number),
        }[op]
    return any(all(cmp_possible(name, op, number) for _, name, op, number in group) for _, group in tree[1])
