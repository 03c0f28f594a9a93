/* Mirror of scenario/model.py: the scenario the Dialogue plays, read from its compiled JSON
 * (scenario/compiled.py). Like ink's runtime, it refuses a compiled form of another version. */
(function (root) {
  "use strict";
  const perfcomm = (root.perfcomm = root.perfcomm || {});

  const FORMAT = "perfcomm-scenario";
  const VERSION = 1;

  class Scenario {
    constructor(data) {
      if (!data || data.format !== FORMAT || data.version !== VERSION) {
        const found = data && data.format === FORMAT ? `version ${data.version}` : "something else";
        throw new Error(`perfcomm: this player reads ${FORMAT} version ${VERSION}, the page holds ${found}` +
                        " — rebuild the site with the same perfcomm as its player");
      }
      Object.assign(this, data);
      this.nodes = new Map(data.nodes.map((node) => [node.id, node]));
      this._checkpoints = null;
    }

    /** Every checkpoint a choice of this scenario meets or violates, in authored order. */
    get checkpoints() {
      if (this._checkpoints === null) {
        const seen = [];
        for (const node of this.nodes.values()) {
          for (const choice of node.choices) {
            for (const cp of [...choice.meets, ...choice.violates]) {
              if (!seen.includes(cp)) seen.push(cp);
            }
          }
        }
        this._checkpoints = seen;
      }
      return this._checkpoints;
    }

    variable(name) {
      return this.variables.find((v) => v.name === name);
    }

    get endings() {
      return [...this.nodes.values()].filter((node) => node.ending);
    }
  }

  perfcomm.model = { FORMAT, VERSION, Scenario };
  if (typeof module !== "undefined") module.exports = perfcomm.model;
})(typeof self !== "undefined" ? self : globalThis);
