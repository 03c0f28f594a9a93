"""Authored scenario YAML -> Scenario, reporting every mistake as `path:line: message — fix`.

This pass checks what one reading of the file can tell (keys, types, ids, references, languages);
explore.py then checks what only playing every path can tell (reachability, dead ends, conditions).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..course import LANGUAGES
from ..problems import ContentError, Problem, did_you_mean
from ..yamlfile import Node as YNode
from ..yamlfile import load_file
from . import conditions
from .model import (ENDING_KINDS, FORMAT_VERSION, ROLES, SPEAKERS, Choice, Condition, Ending, Line, Node,
                    Route, Scenario, Variable)

TOP_KEYS = {"format_version": True, "id": True, "stage": True, "role": True, "title": True, "persona": True,
            "briefing": True, "variables": True, "start": True, "nodes": True}
NODE_KEYS = {"lines", "choices", "next", "ending"}
LINE_KEYS = {"speaker", "if", *LANGUAGES}
CHOICE_KEYS = {"goto", "if", "effects", "meets", "violates", "feedback", *LANGUAGES}
ROUTE_KEYS = {"goto", "if"}
VARIABLE_KEYS = {"start", "min", "max", "hidden", *LANGUAGES}
ENDING_KEYS = {"kind", *LANGUAGES}
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class _Reader:
    def __init__(self, shown: str, checkpoint_ids: list[str] | None):
        self.shown = shown
        self.problems: list[Problem] = []
        self.checkpoint_ids = checkpoint_ids

    def problem(self, line: int, message: str):
        self.problems.append(Problem(self.shown, line, message))

    def keys(self, mapping, allowed, where: str, required=()):
        if not isinstance(mapping, dict):
            self.problem(getattr(mapping, "line", 0), f"{where}: expected a mapping (key: value lines)")
            return False
        for key in mapping:
            if key not in allowed:
                self.problem(mapping.line_of(key), f"{where}: unknown key '{key}'"
                                                   f"{did_you_mean(key, sorted(allowed)) or ' — allowed: ' + ', '.join(sorted(allowed))}")
        for key in required:
            if key not in mapping:
                self.problem(mapping.line, f"{where}: missing key '{key}'")
        return True

    def text(self, mapping, where: str, variants=False, pure=False) -> dict:
        """Both languages of a line: {'zh': …, 'en': …}; a missing one is a problem. A `pure` text
        mapping holds nothing else, so a stray key is a sentence cut by an unquoted ', '."""
        out = {}
        if pure and isinstance(mapping, dict):
            for key in mapping:
                if key not in LANGUAGES:
                    self.problem(mapping.line_of(key), f"{where}: unexpected '{key}' — the text before it was cut"
                                                       " at ', ' or ': '; put the whole sentence in quotes")
        for lang in LANGUAGES:
            value = mapping.get(lang) if isinstance(mapping, dict) else None
            if isinstance(value, list) and variants:
                texts = tuple(str(v).strip() for v in value if str(v).strip())
            elif isinstance(value, (str, int, float)) and str(value).strip():
                texts = (str(value).strip(),)
            else:
                texts = ()
            if not texts:
                self.problem(getattr(mapping, "line", 0),
                             f"{where}: the '{lang}' line is missing — every line is written in"
                             f" {' and '.join(LANGUAGES)}")
            out[lang] = texts if variants else (texts[0] if texts else "")
        if variants and all(out.values()) and len({len(v) for v in out.values()}) > 1:
            self.problem(mapping.line, f"{where}: zh and en have a different number of variants")
        return out

    def condition(self, mapping, where: str, variables: dict) -> Condition | None:
        if "if" not in mapping:
            return None
        text, line = str(mapping["if"]), mapping.line_of("if")
        try:
            tree = conditions.parse(text)
        except conditions.ConditionError as err:
            self.problem(line, f"{where}: {err}")
            return None
        ok = True
        for name in conditions.variables_in(tree):
            if name not in variables:
                self.problem(line, f"{where}: variable '{name}' is not declared"
                                   f"{did_you_mean(name, variables) or ' — declare it under variables:'}")
                ok = False
        if ok and not conditions.could_hold(tree, {n: (v.low, v.high) for n, v in variables.items()}):
            ranges = ", ".join(f"{n} {variables[n].low}–{variables[n].high}" for n in conditions.variables_in(tree))
            self.problem(line, f"{where}: condition '{text}' can never hold ({ranges})")
        return Condition(text, tree, line)

    def checkpoints(self, mapping, key: str, where: str) -> tuple:
        value = mapping.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(mapping.line_of(key), f"{where}: '{key}' is a list of checkpoint ids")
            return ()
        if self.checkpoint_ids is not None:
            for cp in value:
                if cp not in self.checkpoint_ids:
                    self.problem(mapping.line_of(key), f"{where}: unknown checkpoint '{cp}'"
                                                       f"{did_you_mean(cp, self.checkpoint_ids)}")
        return tuple(str(cp) for cp in value)


def load_scenario(path: Path, shown: str, checkpoint_ids: list[str] | None = None) -> Scenario:
    """Read and check one scenario file; raise ContentError listing every problem found."""
    data = load_file(path, shown)
    r = _Reader(shown, checkpoint_ids)
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        r.problem(data.line_of("format_version") if "format_version" in data else 1,
                  f"format_version {version!r} is not supported — this perfcomm reads format_version"
                  f" {FORMAT_VERSION}")
        raise ContentError(r.problems)
    r.keys(data, TOP_KEYS, "scenario", required=[k for k, need in TOP_KEYS.items() if need])
    scenario_id = str(data.get("id", ""))
    if scenario_id and not ID.match(scenario_id):
        r.problem(data.line_of("id"), f"scenario id '{scenario_id}' must be lower-case letters, digits and '-'")
    if data.get("role", "manager") not in ROLES:
        r.problem(data.line_of("role"), f"role must be one of {', '.join(ROLES)}")
    if not isinstance(data.get("stage"), int):
        r.problem(data.line_of("stage"), "stage must be a whole number (1–4, or 0 for HR's role)")
    title = r.text(data.get("title") or YNode(), "title", pure=True)
    persona = r.text(data.get("persona") or YNode(), "persona", pure=True)
    briefing = r.text(data.get("briefing") or YNode(), "briefing", pure=True)

    variables = _variables(r, data.get("variables") or YNode())
    nodes_data = data.get("nodes")
    if not isinstance(nodes_data, dict) or not nodes_data:
        r.problem(data.line_of("nodes"), "nodes: at least one node is needed")
        raise ContentError(r.problems)
    nodes = {}
    for node_id, node in nodes_data.items():
        nodes[str(node_id)] = _node(r, str(node_id), node, nodes_data, variables)
    start = str(data.get("start", ""))
    if start and start not in nodes:
        r.problem(data.line_of("start"), f"start node '{start}' not found{did_you_mean(start, nodes)}")
    if r.problems:
        raise ContentError(r.problems)
    return Scenario(scenario_id, shown, data["stage"], data.get("role", "manager"), title, persona, briefing,
                    tuple(variables.values()), start, nodes)


def _variables(r: _Reader, data) -> dict[str, Variable]:
    out = {}
    if not isinstance(data, dict):
        r.problem(getattr(data, "line", 0), "variables: expected a mapping of name: {start, min, max, zh, en}")
        return out
    for name, spec in data.items():
        where = f"variable '{name}'"
        if not r.keys(spec, VARIABLE_KEYS, where, required=("start",)):
            continue
        low, high, start = spec.get("min", 0), spec.get("max", 100), spec.get("start", 0)
        if not all(isinstance(v, int) for v in (low, high, start)) or not low <= start <= high:
            r.problem(spec.line, f"{where}: start, min and max are whole numbers with min ≤ start ≤ max")
            continue
        hidden = spec.get("hidden", False)
        if not isinstance(hidden, bool):
            r.problem(spec.line, f"{where}: hidden is true or false — true keeps it off the meters")
            continue
        out[str(name)] = Variable(str(name), start, low, high, r.text(spec, where), spec.line, hidden)
    return out


def _node(r: _Reader, node_id: str, data, all_nodes, variables) -> Node:
    where = f"node '{node_id}'"
    if not ID.match(node_id):
        r.problem(all_nodes.line_of(node_id), f"{where}: node ids are lower-case letters, digits, '-' and '_'")
    if data is None:
        r.problem(all_nodes.line_of(node_id), f"{where} is empty — give it choices, next or an ending")
        return Node(node_id, line=all_nodes.line_of(node_id))
    if not r.keys(data, NODE_KEYS, where):
        return Node(node_id, line=all_nodes.line_of(node_id))
    lines = []
    for index, spec in enumerate(data.get("lines") or []):
        lw = f"{where} line {index + 1}"
        if r.keys(spec, LINE_KEYS, lw, required=("speaker",)):
            if spec.get("speaker") not in SPEAKERS and "speaker" in spec:
                r.problem(spec.line_of("speaker"), f"{lw}: speaker '{spec['speaker']}' is not one of"
                                                   f" {', '.join(SPEAKERS)}{did_you_mean(spec['speaker'], SPEAKERS)}")
            lines.append(Line(str(spec.get("speaker")), r.text(spec, lw, variants=True),
                              r.condition(spec, lw, variables), spec.line))
    choices = []
    for index, spec in enumerate(data.get("choices") or []):
        cw = f"{where} choice {index + 1}"
        if not r.keys(spec, CHOICE_KEYS, cw, required=("goto",)):
            continue
        goto = _goto(r, spec, cw, all_nodes)
        effects = []
        raw_effects = spec.get("effects") or {}
        if not isinstance(raw_effects, dict):
            r.problem(spec.line_of("effects"), f"{cw}: effects is a mapping like {{trust: 10, clarity: -5}}")
            raw_effects = {}
        for name, delta in raw_effects.items():
            if name not in variables:
                r.problem(spec.line_of("effects"), f"{cw}: effect on undeclared variable '{name}'"
                                                   f"{did_you_mean(name, variables) or ' — declare it under variables:'}")
            elif not isinstance(delta, int):
                r.problem(spec.line_of("effects"), f"{cw}: effect on '{name}' must be a whole number like +10 or -5")
            else:
                effects.append((str(name), delta))
        feedback = r.text(spec["feedback"], f"{cw} feedback", pure=True) if "feedback" in spec else None
        choices.append(Choice(r.text(spec, cw), goto, r.condition(spec, cw, variables), tuple(effects),
                              r.checkpoints(spec, "meets", cw), r.checkpoints(spec, "violates", cw),
                              feedback, spec.line))
    routes = []
    for index, spec in enumerate(data.get("next") or []):
        rw = f"{where} next {index + 1}"
        if r.keys(spec, ROUTE_KEYS, rw, required=("goto",)):
            routes.append(Route(_goto(r, spec, rw, all_nodes), r.condition(spec, rw, variables), spec.line))
    ending = None
    if "ending" in data:
        spec = data["ending"]
        if r.keys(spec, ENDING_KEYS, f"{where} ending", required=("kind",)):
            if spec.get("kind") not in ENDING_KINDS:
                r.problem(spec.line_of("kind"), f"{where} ending: kind must be one of {', '.join(ENDING_KINDS)}")
            ending = Ending(str(spec.get("kind")), r.text(spec, f"{where} ending"))
    kinds = [name for name, present in (("choices", choices), ("next", routes), ("ending", ending)) if present]
    line = all_nodes.line_of(node_id)
    if len(kinds) != 1:
        r.problem(line, f"{where}: a node has exactly one of choices, next or ending"
                        f"{' (it has ' + ' and '.join(kinds) + ')' if kinds else ' — it has none: add an ending or choices'}")
    return Node(node_id, tuple(lines), tuple(choices), tuple(routes), ending, line)


def _goto(r: _Reader, spec, where: str, all_nodes) -> str:
    goto = str(spec.get("goto", ""))
    if goto not in all_nodes:
        r.problem(spec.line_of("goto"), f"{where}: goto '{goto}' not found{did_you_mean(goto, all_nodes)}")
    return goto
