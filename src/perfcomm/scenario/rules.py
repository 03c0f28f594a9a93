"""How a scenario moves: the one set of rules both the Dialogue and the explorer follow."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from . import conditions
from .model import Choice, Scenario


@dataclass(frozen=True)
class State:
    node: str
    values: tuple          # ((name, value), …) in declared order
    met: frozenset = frozenset()
    violated: frozenset = frozenset()

    def value_map(self) -> dict:
        return dict(self.values)


def initial(scenario: Scenario) -> State:
    return State(scenario.start, tuple((v.name, v.start) for v in scenario.variables))


def holds(condition, values: dict) -> bool:
    return condition is None or conditions.holds(condition.tree, values)


def settle(scenario: Scenario, state: State, limit: int = 100) -> tuple[State | None, list[str]]:
    """Follow `next:` routes until a node with choices or an ending; (None, path) if no route holds."""
    path = [state.node]
    node = scenario.nodes[state.node]
    values = state.value_map()
    while node.routes:
        route = next((r for r in node.routes if holds(r.condition, values)), None)
        if route is None or len(path) > limit:
            return None, path
        node = scenario.nodes[route.goto]
        path.append(node.id)
    return State(node.id, state.values, state.met, state.violated), path


def offered(scenario: Scenario, state: State) -> list[tuple[int, Choice]]:
    """The choices on offer now: (index among the node's authored choices, choice)."""
    values = state.value_map()
    return [(i, c) for i, c in enumerate(scenario.nodes[state.node].choices) if holds(c.condition, values)]


def variant(seed: int, node_id: str, position: int, picks: int, count: int) -> int:
    """Which of a line's `count` variants is said: CRC-32 of 'seed:node:position:picks', a hash any
    runtime computes the same way (the browser player mirrors it)."""
    return zlib.crc32(f"{seed}:{node_id}:{position}:{picks}".encode("utf-8")) % count


def apply(scenario: Scenario, state: State, choice: Choice) -> State:
    values = state.value_map()
    for name, delta in choice.effects:
        var = scenario.variable(name)
        values[name] = max(var.low, min(var.high, values[name] + delta))
    return State(choice.goto, tuple((v.name, values[v.name]) for v in scenario.variables),
                 state.met | set(choice.meets), state.violated | set(choice.violates))


def statuses(scenario: Scenario, state: State) -> dict[str, str]:
    """checkpoint -> met | missed | violated, for every checkpoint the scenario exercises."""
    out = {}
    for cp in scenario.checkpoints:
        out[cp] = "violated" if cp in state.violated else "met" if cp in state.met else "missed"
    return out


def score(scenario: Scenario, state: State) -> int:
    """One point per checkpoint met, minus one per checkpoint violated."""
    marks = statuses(scenario, state).values()
    return sum(1 for s in marks if s == "met") - sum(1 for s in marks if s == "violated")
