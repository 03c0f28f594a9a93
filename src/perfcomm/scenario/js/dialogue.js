/* Mirror of scenario/dialogue.py: plays one compiled scenario. No DOM here: the page player
 * (players/web/player.js) subscribes to it, as the notebook and terminal players do in Python.
 *
 *   const d = new Dialogue(scenario, "zh", 0);
 *   d.lines, d.choices;  d.choose(0);  d.undo();
 *   d.save() -> string;  Dialogue.restore(scenario, text);  d.ending, d.debrief(), d.result()
 */
(function (root) {
  "use strict";
  const perfcomm = (root.perfcomm = root.perfcomm || {});
  const rules = perfcomm.rules || require("./rules.js");

  const SAVE_VERSION = 1;

  class Line {
    constructor(speaker, text) {
      this.speaker = speaker;
      this.text = text;
    }
  }

  /** A choice as offered now: its position on screen and what it says. */
  class Offered {
    constructor(number, text, index) {
      this.number = number; // 0-based position among the choices on offer
      this.text = text;
      this.index = index; // index among the node's authored choices
    }
  }

  class RestoreError extends Error {}

  class Dialogue {
    constructor(scenario, lang = "zh", seed = 0) {
      if (lang !== scenario.lang) {
        throw new Error(`scenario '${scenario.id}' was compiled in '${scenario.lang}', not '${lang}'`);
      }
      this.scenario = scenario;
      this.lang = lang;
      this.seed = seed;
      this.transcript = [];
      this._picks = [];
      this._undo = [];
      this._listeners = [];
      this.lines = [];
      this.state = rules.initial(scenario);
      this._enter(this.state);
    }

    // -- playing -----------------------------------------------------------------------------
    get choices() {
      if (this.ending) return [];
      return rules.offered(this.scenario, this.state).map(([i, c], n) => new Offered(n, c.text, i));
    }

    get ending() {
      return this.scenario.nodes.get(this.state.node).ending;
    }

    get finished() {
      return this.ending !== null && this.ending !== undefined;
    }

    /** Pick the choice at this 0-based position among those on offer. */
    choose(number) {
      const on_offer = rules.offered(this.scenario, this.state);
      if (!(number >= 0 && number < on_offer.length)) {
        throw new RangeError(`choice ${number + 1} is not on offer (1–${on_offer.length})`);
      }
      const [index, choice] = on_offer[number];
      this._undo.push([this.state, this.transcript.length, [...this.lines]]);
      this._picks.push(index);
      const entry = { speaker: this.scenario.role, text: choice.text, choice: number + 1, node: this.state.node,
                      meets: [...choice.meets], violates: [...choice.violates] };
      if (choice.feedback) entry.feedback = choice.feedback;
      this.transcript.push(entry);
      this._enter(rules.apply(this.scenario, this.state, choice));
    }

    undo() {
      if (!this._undo.length) return false;
      let length;
      [this.state, length, this.lines] = this._undo.pop();
      this.transcript.splice(length);
      this._picks.pop();
      this._notify();
      return true;
    }

    /** listener(dialogue) is called after every change. */
    subscribe(listener) {
      this._listeners.push(listener);
    }

    _notify() {
      for (const listener of this._listeners) listener(this);
    }

    _enter(state) {
      const [settled, path] = rules.settle(this.scenario, state);
      if (settled === null) {
        throw new Error(`${this.scenario.id}: node '${path[path.length - 1]}': dead end — no \`next\` route holds`);
      }
      this.state = settled;
      const values = settled.value_map();
      this.lines = [];
      for (const node_id of path) {
        this.scenario.nodes.get(node_id).lines.forEach((line, position) => {
          if (rules.holds(line.condition, values)) {
            const variants = line.text;
            const pick = rules.variant(this.seed, node_id, position, this._picks.length, variants.length);
            this.lines.push(new Line(line.speaker, variants[pick]));
          }
        });
      }
      for (const line of this.lines) this.transcript.push({ speaker: line.speaker, text: line.text });
      this._notify();
    }

    // -- results -----------------------------------------------------------------------------
    get values() {
      return this.state.value_map();
    }

    get checkpoints() {
      return rules.statuses(this.scenario, this.state);
    }

    get score() {
      return rules.score(this.scenario, this.state);
    }

    /** Per checkpoint: status, the feedback on the choices that met or violated it, lesson links.
     * `lessons` maps checkpoint id -> list of lesson URLs. */
    debrief(lessons = null) {
      const out = [];
      for (const [cp, status] of Object.entries(this.checkpoints)) {
        const notes = this.transcript
          .filter((e) => "feedback" in e && (status === "violated" ? e.violates : e.meets).includes(cp))
          .map((e) => e.feedback);
        out.push({ checkpoint: cp, status, notes, lessons: [...((lessons || {})[cp] || [])] });
      }
      return out;
    }

    /** The run as data: what `perfcomm play --json` prints and an exercise grades. */
    result() {
      return {
        scenario: this.scenario.id,
        lang: this.lang,
        ending: this.ending ? this.state.node : null,
        ending_kind: this.ending ? this.ending.kind : null,
        offered: this.choices.map((c) => c.text),
        score: this.score,
        max_score: this.scenario.max_score,
        checkpoints: this.checkpoints,
        variables: this.values,
        choices: this.transcript.filter((e) => "choice" in e).map((e) => e.choice),
        transcript: this.transcript,
      };
    }

    // -- saving ------------------------------------------------------------------------------
    save() {
      return JSON.stringify({ version: SAVE_VERSION, scenario: this.scenario.id, lang: this.lang,
                              seed: this.seed, picks: this._picks, node: this.state.node, values: this.values });
    }

    static restore(scenario, text) {
      let data;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new RestoreError(`saved run is not JSON: ${err.message}`);
      }
      if (!data || data.version !== SAVE_VERSION || data.scenario !== scenario.id) {
        throw new RestoreError(`saved run is for scenario '${data && data.scenario}' (save version` +
                               ` ${data && data.version}), not '${scenario.id}'`);
      }
      const dialogue = new Dialogue(scenario, data.lang ?? "zh", data.seed ?? 0);
      for (const index of data.picks ?? []) {
        const on_offer = rules.offered(scenario, dialogue.state).map(([i]) => i);
        if (!on_offer.includes(index)) {
          throw new RestoreError(`saved run does not fit the scenario any more (at node ${dialogue.state.node})`);
        }
        dialogue.choose(on_offer.indexOf(index));
      }
      const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
      if (dialogue.state.node !== data.node || !same(dialogue.values, data.values)) {
        throw new RestoreError("saved run does not fit the scenario any more — it was changed since");
      }
      return dialogue;
    }
  }

  perfcomm.dialogue = { SAVE_VERSION, Line, Offered, RestoreError, Dialogue };
  perfcomm.Dialogue = Dialogue;
  if (typeof module !== "undefined") module.exports = perfcomm.dialogue;
})(typeof self !== "undefined" ? self : globalThis);
