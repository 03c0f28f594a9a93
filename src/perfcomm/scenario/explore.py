"""Play every path of a scenario (loops included) and report what the file alone cannot show:
unreachable nodes, dead ends, states that can never reach an ending, conditions that never hold,
the reachable endings, the fewest decisions to an ending, the min and max score, and what each
choice costs of the best score still reachable (the measure behind the answer-cue lint)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction

from ..problems import Problem
from . import rules
from .model import Scenario

MAX_STATES = 200_000


@dataclass
class Exploration:
    states: int = 0
    endings: dict = field(default_factory=dict)         # ending node -> count of states
    min_score: int | None = None
    max_score: int | None = None
    min_decisions: int | None = None                    # fewest decisions on any path to an ending
    min_options: int | None = None                      # fewest choices offered at any decision
    best_path: list = field(default_factory=list)       # 1-based choices of a run with max_score
    problems: list = field(default_factory=list)
    choice_values: dict = field(default_factory=dict)   # node id -> {authored index: ChoiceValue}


@dataclass
class ChoiceValue:
    """One authored choice over every reachable state of its node in which it is on offer.

    In each such state the best-achievable score of the state is the highest final score any run
    from there can still reach; the choice's loss is that minus the best-achievable score right
    after taking it (0 when it keeps the best score within reach)."""
    offered: int = 0        # reachable states of its node in which it is on offer
    best: int = 0           # … in which its loss is 0
    loss: int = 0           # the sum of its losses over those states

    @property
    def mean_loss(self) -> Fraction:
        return Fraction(self.loss, self.offered) if self.offered else Fraction(0)


def explore(scenario: Scenario) -> Exploration:
    report = Exploration()
    shown = scenario.path
    start, path = rules.settle(scenario, rules.initial(scenario))
    visited_nodes = set(path)
    true_conditions: set[int] = set()   # ids of Condition objects seen true
    _mark_lines(scenario, path, rules.initial(scenario), true_conditions)
    if start is None:
        report.problems.append(Problem(shown, scenario.nodes[path[-1]].line,
                                       f"node '{path[-1]}': dead end at the start — no `next` route holds"))
        return report
    depth = {start: 0}
    parent: dict = {start: None}                        # state -> (previous state, 1-based choice)
    edges: dict = {}                                    # state -> [(choice index, next state)]
    queue = deque([start])
    dead = []
    best = None
    while queue:
        state = queue.popleft()
        node = scenario.nodes[state.node]
        if node.ending:
            report.endings[node.id] = report.endings.get(node.id, 0) + 1
            value = rules.score(scenario, state)
            report.min_score = value if report.min_score is None else min(report.min_score, value)
            if report.max_score is None or value > report.max_score:
                report.max_score, best = value, state
            d = depth[state]
            report.min_decisions = d if report.min_decisions is None else min(report.min_decisions, d)
            continue
        offered = rules.offered(scenario, state)
        values = state.value_map()
        for choice in node.choices:
            if choice.condition and rules.holds(choice.condition, values):
                true_conditions.add(id(choice.condition))
        if not offered:
            dead.append(state)
            continue
        report.min_options = len(offered) if report.min_options is None else min(report.min_options, len(offered))
        for number, (index, choice) in enumerate(offered, 1):
            after = rules.apply(scenario, state, choice)
            following, path = rules.settle(scenario, after)
            visited_nodes.update(path)
            _mark_lines(scenario, path, after, true_conditions)
            if following is None:
                report.problems.append(Problem(shown, scenario.nodes[path[-1]].line,
                                               f"node '{path[-1]}': dead end — no `next` route holds when"
                                               f" {_describe(state)}; add a route without `if`"))
                continue
            edges.setdefault(state, []).append((index, following))
            if following not in depth:
                if len(depth) >= MAX_STATES:
                    report.problems.append(Problem(shown, 1, f"more than {MAX_STATES} reachable states —"
                                                             " narrow the variables' ranges or steps"))
                    return report
                depth[following] = depth[state] + 1
                parent[following] = (state, number)
                queue.append(following)
    report.states = len(depth)
    if report.max_score is not None:
        step = parent[best]
        while step is not None:
            report.best_path.insert(0, step[1])
            step = parent[step[0]]
    for state in dead[:3]:
        node = scenario.nodes[state.node]
        report.problems.append(Problem(shown, node.line, f"node '{node.id}': dead end — no choice is available"
                                                         f" when {_describe(state)}; add a choice without `if`"))
    reverse: dict = {}
    for source, targets in edges.items():
        for _, target in targets:
            reverse.setdefault(target, []).append(source)
    report.problems += _cannot_finish(scenario, depth, reverse)
    report.choice_values = _choice_values(scenario, depth, edges, reverse)
    for node in scenario.nodes.values():
        if node.id not in visited_nodes:
            report.problems.append(Problem(shown, node.line, f"node '{node.id}' is unreachable — no path from"
                                                             f" start '{scenario.start}' leads to it"))
    report.problems += _never_true(scenario, visited_nodes, true_conditions)
    return report


def _mark_lines(scenario, path, state, true_conditions):
    values = state.value_map()
    for node_id in path:
        node = scenario.nodes[node_id]
        for item in (*node.lines, *node.routes):
            if item.condition and rules.holds(item.condition, values):
                true_conditions.add(id(item.condition))


def _cannot_finish(scenario, depth, reverse) -> list[Problem]:
    finished = {s for s in depth if scenario.nodes[s.node].ending}
    can_finish, queue = set(finished), deque(finished)
    while queue:
        for source in reverse.get(queue.popleft(), []):
            if source not in can_finish:
                can_finish.add(source)
                queue.append(source)
    stuck = [s for s in depth if s not in can_finish and rules.offered(scenario, s)]
    if not stuck:
        return []
    state = min(stuck, key=lambda s: depth[s])
    node = scenario.nodes[state.node]
    return [Problem(scenario.path, node.line, f"node '{node.id}': from here no ending can be reached when"
                                              f" {_describe(state)} — the conversation loops for ever;"
                                              " give the loop a way out")]


def _choice_values(scenario, depth, edges, reverse) -> dict:
    """Per authored choice: in how many reachable states it is offered, is best, and its loss."""
    scores = {s: rules.score(scenario, s) for s in depth if scenario.nodes[s.node].ending}
    best: dict = {}                 # state -> highest final score reachable from it
    for end in sorted(scores, key=scores.get, reverse=True):   # highest first: the first to reach
        value = best[end] = scores[end]                         # a state gives its best score
        queue = deque([end])
        while queue:
            for source in reverse.get(queue.popleft(), []):
                if source not in best:
                    best[source] = value
                    queue.append(source)
    out: dict = {}
    for state, moves in edges.items():
        values = [(index, best[after]) for index, after in moves if after in best]
        if not values:
            continue
        top = max(value for _, value in values)
        node = out.setdefault(state.node, {})
        for index, value in values:
            entry = node.setdefault(index, ChoiceValue())
            entry.offered += 1
            entry.best += value == top
            entry.loss += top - value
    return out


def _never_true(scenario, visited_nodes, true_conditions) -> list[Problem]:
    out = []
    for node in scenario.nodes.values():
        if node.id not in visited_nodes:
            continue
        for item in (*node.lines, *node.choices, *node.routes):
            condition = item.condition
            if condition and id(condition) not in true_conditions:
                out.append(Problem(scenario.path, condition.line,
                                   f"node '{node.id}': condition '{condition.text}' never holds in any reachable"
                                   " state — change it or the effects that lead here"))
    return out


def _describe(state) -> str:
    return ", ".join(f"{name}={value}" for name, value in state.values) or "at the start"


_cache: dict = {}


def explore_once(scenario: Scenario) -> Exploration:
    """explore(), remembered for this scenario object: a run's result needs the best score, and
    exploring takes up to seconds for the larger scenarios."""
    hit = _cache.get(id(scenario))
    if hit is None or hit[0] is not scenario:
        hit = _cache[id(scenario)] = (scenario, explore(scenario))
    return hit[1]


def remember(scenario: Scenario, report: Exploration) -> None:
    """Keep an exploration done elsewhere for explore_once (the course check explores them all)."""
    _cache[id(scenario)] = (scenario, report)
