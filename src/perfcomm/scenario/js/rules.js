/* Mirror of scenario/rules.py: how a scenario moves. Function for function, same names, same
 * results; tests/test_runtime_equivalence.py holds the two to each other step by step. */
(function (root) {
  "use strict";
  const perfcomm = (root.perfcomm = root.perfcomm || {});
  const conditions = perfcomm.conditions || require("./conditions.js");

  class State {
    /** node id; values: [[name, value], …] in declared order; met, violated: Sets of checkpoint ids */
    constructor(node, values, met = new Set(), violated = new Set()) {
      this.node = node;
      this.values = values;
      this.met = met;
      this.violated = violated;
      Object.freeze(this);
    }

    value_map() {
      return Object.fromEntries(this.values);
    }
  }

  function initial(scenario) {
    return new State(scenario.start, scenario.variables.map((v) => [v.name, v.start]));
  }

  function holds(condition, values) {
    return condition === null || condition === undefined || conditions.holds(condition.tree, values);
  }

  /** Follow `next:` routes until a node with choices or an ending; [null, path] if no route holds. */
  function settle(scenario, state, limit = 100) {
    const path = [state.node];
    let node = scenario.nodes.get(state.node);
    const values = state.value_map();
    while (node.routes.length) {
      const route = node.routes.find((r) => holds(r.condition, values));
      if (route === undefined || path.length > limit) return [null, path];
      node = scenario.nodes.get(route.goto);
      path.push(node.id);
    }
    return [new State(node.id, state.values, state.met, state.violated), path];
  }

  /** The choices on offer now: [index among the node's authored choices, choice]. */
  function offered(scenario, state) {
    const values = state.value_map();
    return scenario.nodes.get(state.node).choices
      .map((choice, i) => [i, choice])
      .filter(([, choice]) => holds(choice.condition, values));
  }

  const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  /** CRC-32 of a string's UTF-8 bytes, as Python's zlib.crc32 computes it. */
  function crc32(text) {
    let crc = 0xffffffff;
    for (const byte of new TextEncoder().encode(text)) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  /** Which of a line's `count` variants is said. */
  function variant(seed, node_id, position, picks, count) {
    return crc32(`${seed}:${node_id}:${position}:${picks}`) % count;
  }

  function apply(scenario, state, choice) {
    const values = state.value_map();
    for (const [name, delta] of choice.effects) {
      const v = scenario.variable(name);
      values[name] = Math.max(v.low, Math.min(v.high, values[name] + delta));
    }
    return new State(choice.goto, scenario.variables.map((v) => [v.name, values[v.name]]),
                     new Set([...state.met, ...choice.meets]), new Set([...state.violated, ...choice.violates]));
  }

  /** checkpoint -> met | missed | violated, for every checkpoint the scenario exercises. */
  function statuses(scenario, state) {
    const out = {};
    for (const cp of scenario.checkpoints) {
      out[cp] = state.violated.has(cp) ? "violated" : state.met.has(cp) ? "met" : "missed";
    }
    return out;
  }

  /** One point per checkpoint met, minus one per checkpoint violated. */
  function score(scenario, state) {
    const marks = Object.values(statuses(scenario, state));
    return marks.filter((s) => s === "met").length - marks.filter((s) => s === "violated").length;
  }

  perfcomm.rules = { State, initial, holds, settle, offered, crc32, variant, apply, statuses, score };
  if (typeof module !== "undefined") module.exports = perfcomm.rules;
})(typeof self !== "undefined" ? self : globalThis);
