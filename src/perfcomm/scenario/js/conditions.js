/* Mirror of scenario/conditions.py for the browser: evaluating a parsed condition.
 * Parsing happens once, in Python, when the scenario is compiled (scenario/compiled.py); the tree
 * arrives as JSON: ["or", [["and", [["cmp", name, op, number], …]], …]]. */
(function (root) {
  "use strict";
  const perfcomm = (root.perfcomm = root.perfcomm || {});

  const OPS = {
    ">=": (a, b) => a >= b, "<=": (a, b) => a <= b, "==": (a, b) => a === b,
    "!=": (a, b) => a !== b, ">": (a, b) => a > b, "<": (a, b) => a < b,
  };

  function variables_in(tree) {
    return tree[1].flatMap(([, group]) => group.map((cmp) => cmp[1]));
  }

  function holds(tree, values) {
    return tree[1].some(([, group]) => group.every(([, name, op, number]) => OPS[op](values[name], number)));
  }

  perfcomm.conditions = { OPS, variables_in, holds };
  if (typeof module !== "undefined") module.exports = perfcomm.conditions;
})(typeof self !== "undefined" ? self : globalThis);
