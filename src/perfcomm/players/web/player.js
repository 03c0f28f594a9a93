/* The in-page scenario player. It draws a Dialogue (scenario/js/dialogue.js) the way the notebook
 * player (players/widgets.py) does: briefing, chat-style lines, choices as buttons, feedback after a
 * pick, undo and restart, meters, the debrief; and adds what a page needs: progress kept in the
 * browser, "download my run" (the notebook's runs/<id>.json), keys 1–9, a live region, print, and a
 * workshop (projector) mode with the room's votes.
 *
 * Contract other tools rely on: the container [data-perfcomm-player][data-scenario="<id>"]; each
 * choice on offer a button[data-choice="N"] (1-based, as `perfcomm play --choices`); once finished an
 * element [data-ending="<ending id>"] with data-score and data-max-score.
 *
 * Its data come from the page: <script type="application/json" data-perfcomm-story="<id>"> (the
 * compiled scenario, checkpoint names and lesson links) and data-perfcomm-words (the words, in the
 * page's language, from players/player-words.yaml). No text of the course is written here.
 *
 * Extension point for a learning platform (lms/web/ uses it; nothing else needs it):
 * - Events on the container, bubbling: "perfcomm:step" after each choice played, detail
 *   {scenario, lang, node, offered (the texts on offer), choice (1-based), text, meets, violates,
 *   score, max, finished};
 *   "perfcomm:end" when a run reaches an ending, detail {scenario, lang, ending, kind, score, max}.
 * - A progress store: a script that runs before this one may set perfcomm.progress =
 *   {get(key) -> saved | null, set(key, saved), ready?: Promise, platform?: true}; it then keeps the
 *   saved state ({save, workshop, room, votes, revealed}) in place of localStorage, and the players
 *   start once `ready` has settled. Without one, progress stays in this browser. */
(function (root) {
  "use strict";
  const perfcomm = root.perfcomm;
  const { Scenario } = perfcomm.model;
  const { Dialogue, RestoreError } = perfcomm.dialogue;
  const STORE = "perfcomm:run:";
  const players = [];
  let active = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
  }

  function storage() {
    try {
      return root.localStorage; // null or throwing where the browser forbids it (some file:// pages)
    } catch (err) {
      return null;
    }
  }

  /** The default progress store: this browser's localStorage, under perfcomm:run:<id>:<lang>. */
  const browserStore = {
    get(key) {
      const store = storage();
      try {
        return (store && JSON.parse(store.getItem(key) || "null")) || null;
      } catch (err) {
        return null;
      }
    },
    set(key, saved) {
      const store = storage();
      if (!store) return;
      try {
        store.setItem(key, JSON.stringify(saved));
      } catch (err) {
        // full or forbidden: the run still plays, it is only not kept
      }
    },
  };

  function progress() {
    return perfcomm.progress || browserStore;
  }

  class Player {
    constructor(container, data, words) {
      this.container = container;
      this.words = words;
      this.web = words.web;
      this.scenario = new Scenario(data.story);
      this.info = data.checkpoints || {};
      this.root = data.root || "";
      this.key = `${STORE}${this.scenario.id}:${this.scenario.lang}`;
      this.workshop = false;
      this.revealed = true; // the latest pick's feedback is shown (always, outside workshop mode)
      this.room = []; // workshop: [{node, choice, text, votes}] per decision played
      this.votes = [];
      this.shown = 0; // transcript entries drawn in the chat
      this.build();
      this.start(this.load());
      players.push(this);
      if (root.performance && performance.mark) performance.mark(`perfcomm-ready:${this.scenario.id}`);
    }

    // -- the page's parts ------------------------------------------------------------------
    build() {
      const w = this.web;
      this.workshopButton = el("button", { type: "button", class: "pc-tool", "data-workshop-toggle": true,
                                           "aria-pressed": "false", text: w.workshop });
      this.undoButton = el("button", { type: "button", class: "pc-tool", "data-undo": true, text: this.words.undo });
      this.restartButton = el("button", { type: "button", class: "pc-tool", "data-restart": true,
                                          text: this.words.restart });
      this.printButton = el("button", { type: "button", class: "pc-tool", "data-print": true, text: w.print });
      const toolbar = el("div", { class: "pc-toolbar" }, this.workshopButton, this.undoButton, this.restartButton,
                         this.printButton);
      this.workshopHint = el("p", { class: "pc-workshop-hint", text: w.workshop_hint });
      this.meters = el("div", { class: "pc-meters", role: "group", "aria-label": w.meters });
      this.meterParts = {};
      for (const v of this.scenario.variables.filter((x) => !x.hidden)) {
        const fill = el("span", { class: "pc-meter-fill" });
        const value = el("span", { class: "pc-meter-value" });
        const track = el("span", { class: "pc-meter-track", role: "meter", "aria-label": v.label,
                                   "aria-valuemin": v.low, "aria-valuemax": v.high }, fill);
        this.meters.append(el("span", { class: "pc-meter", "data-variable": v.name },
                              el("span", { class: "pc-meter-label", text: v.label }), track, value));
        this.meterParts[v.name] = { fill, value, track, v };
      }
      this.chat = el("div", { class: "pc-chat", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
      this.reveal = el("button", { type: "button", class: "pc-reveal", "data-reveal": true, text: w.reveal });
      this.prompt = el("p", { class: "pc-prompt" });
      this.choiceList = el("div", { class: "pc-choices", role: "group" });
      this.chart = el("div", { class: "pc-chart", "data-vote-chart": true, "aria-label": w.votes });
      this.playRoom = el("button", { type: "button", class: "pc-play-room", "data-play-room": true,
                                     text: w.play_room });
      this.roomNote = el("p", { class: "pc-room-note", role: "status" });
      this.roomControls = el("div", { class: "pc-room-controls" }, this.chart, this.playRoom, this.roomNote);
      this.debriefBox = el("div", { class: "pc-debrief-box" });
      this.notice = el("p", { class: "pc-notice", role: "status" });
      this.footer = el("p", { class: "pc-saved-here",
                              text: progress().platform ? w.saved_platform : w.saved_here });
      this.container.append(toolbar, this.workshopHint, this.notice, this.meters, this.chat, this.reveal,
                            this.prompt, this.choiceList, this.roomControls, this.debriefBox, this.footer);

      this.workshopButton.addEventListener("click", () => this.setWorkshop(!this.workshop));
      this.undoButton.addEventListener("click", () => this.undo());
      this.restartButton.addEventListener("click", () => this.restart());
      this.printButton.addEventListener("click", () => root.print());
      this.reveal.addEventListener("click", () => { this.revealed = true; this.render(true); });
      this.playRoom.addEventListener("click", () => this.playRoomChoice());
      this.choiceList.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-choice]");
        if (button) this.choose(Number(button.dataset.choice) - 1, true);
      });
      this.choiceList.addEventListener("input", (event) => {
        const input = event.target.closest("input[data-votes]");
        if (!input) return;
        const count = Math.max(0, Math.floor(Number(input.value) || 0));
        this.votes[Number(input.dataset.votes) - 1] = count;
        this.drawChart();
        this.store();
      });
      const claim = () => { active = this; };
      this.container.addEventListener("pointerdown", claim);
      this.container.addEventListener("focusin", claim);
    }

    // -- playing ---------------------------------------------------------------------------
    start(dialogue) {
      this.dialogue = dialogue;
      this.dialogue.subscribe(() => this.render(false));
      this.shown = 0;
      this.chat.replaceChildren();
      this.render(true);
    }

    load() {
      let saved = null;
      try {
        saved = progress().get(this.key);
      } catch (err) {
        saved = null;
      }
      if (saved && saved.save) {
        try {
          const dialogue = Dialogue.restore(this.scenario, saved.save);
          this.workshop = Boolean(saved.workshop);
          this.room = Array.isArray(saved.room) ? saved.room : [];
          this.votes = Array.isArray(saved.votes) ? saved.votes : [];
          this.revealed = saved.revealed !== false;
          this.container.classList.toggle("pc-workshop", this.workshop);
          this.project();
          if (dialogue._picks.length) this.notice.textContent = this.web.resumed;
          return dialogue;
        } catch (err) {
          if (!(err instanceof RestoreError)) throw err;
          this.notice.textContent = this.web.reset_notice;
        }
      }
      return new Dialogue(this.scenario, this.scenario.lang, 0);
    }

    store() {
      progress().set(this.key, { save: this.dialogue.save(), workshop: this.workshop, room: this.room,
                                 votes: this.votes, revealed: this.revealed });
    }

    /** Tell whoever listens (a learning platform's adapter) what was played. */
    announce(name, detail) {
      const base = { scenario: this.scenario.id, lang: this.scenario.lang };
      this.container.dispatchEvent(new CustomEvent(`perfcomm:${name}`, { bubbles: true,
                                                                          detail: Object.assign(base, detail) }));
    }

    choose(number, byPointer) {
      const offered = this.dialogue.choices;
      if (this.dialogue.finished || !(number >= 0 && number < offered.length)) return;
      const hadFocus = this.choiceList.contains(document.activeElement);
      if (this.workshop) {
        this.room.push({ node: this.dialogue.state.node, choice: number + 1, text: offered[number].text,
                         votes: offered.map((_, i) => this.votes[i] || 0) });
      }
      this.votes = [];
      this.revealed = !this.workshop;
      this.notice.textContent = "";
      const node = this.dialogue.state.node;
      this.dialogue.choose(number);
      const d = this.dialogue;
      const picked = d.transcript.filter((e) => "choice" in e).pop();
      this.announce("step", { node, offered: offered.map((c) => c.text), choice: number + 1, text: picked.text,
                              meets: picked.meets, violates: picked.violates, score: d.score,
                              max: this.scenario.max_score, finished: d.finished });
      if (d.finished) {
        this.announce("end", { ending: d.state.node, kind: d.ending.kind, score: d.score,
                               max: this.scenario.max_score });
      }
      if (hadFocus || byPointer === "key") this.focusNext();
    }

    playRoomChoice() {
      const offered = this.dialogue.choices;
      const counts = offered.map((_, i) => this.votes[i] || 0);
      const top = Math.max(0, ...counts);
      if (top === 0) {
        this.roomNote.textContent = this.web.no_votes;
        return;
      }
      if (counts.filter((c) => c === top).length > 1) {
        this.roomNote.textContent = this.web.tie;
        return;
      }
      this.choose(counts.indexOf(top), true);
    }

    undo() {
      if (!this.dialogue.undo()) return;
      if (this.room.length > this.dialogue._picks.length) this.room.pop();
      this.votes = [];
      this.revealed = true;
      this.render(true);
    }

    restart() {
      this.room = [];
      this.votes = [];
      this.revealed = true;
      this.notice.textContent = "";
      this.start(new Dialogue(this.scenario, this.scenario.lang, 0));
    }

    setWorkshop(on) {
      this.workshop = on;
      this.revealed = true;
      this.container.classList.toggle("pc-workshop", on);
      this.project();
      this.render(true);
    }

    /** The page makes room while any of its players is in workshop mode. */
    project() {
      document.body.classList.toggle("pc-projecting", players.concat(this).some((p) => p.workshop));
    }

    focusNext() {
      const next = this.choiceList.querySelector("button[data-choice]") ||
                   this.debriefBox.querySelector("[tabindex]");
      if (next) next.focus();
    }

    // -- drawing ---------------------------------------------------------------------------
    render(full) {
      const d = this.dialogue;
      this.workshopButton.setAttribute("aria-pressed", String(this.workshop));
      this.undoButton.disabled = d._picks.length === 0;
      for (const [name, value] of Object.entries(d.values)) {
        if (!(name in this.meterParts)) continue;   // a hidden variable: no meter
        const { fill, value: text, track, v } = this.meterParts[name];
        fill.style.width = `${(100 * (value - v.low)) / Math.max(1, v.high - v.low)}%`;
        text.textContent = String(value);
        track.setAttribute("aria-valuenow", String(value));
      }
      this.drawChat(full);
      this.drawChoices();
      this.drawDebrief();
      this.store();
    }

    drawChat(full) {
      const transcript = this.dialogue.transcript;
      if (full || transcript.length < this.shown) {
        this.chat.replaceChildren();
        this.shown = 0;
      }
      const lastPick = transcript.map((e) => "choice" in e).lastIndexOf(true);
      for (let i = this.shown; i < transcript.length; i++) this.chat.append(this.bubble(transcript[i], i === lastPick));
      this.shown = transcript.length;
      const hidden = this.chat.querySelector(".pc-feedback.pc-hidden");
      this.reveal.hidden = !hidden;
    }

    speakerName(speaker) {
      // The learner's own role is "you"; everyone else by their role (in HR scenarios the manager too).
      const names = speaker === this.scenario.role ? this.words.speaker : this.words.speaker_observed;
      return names[speaker] || speaker;
    }

    bubble(entry, latestPick) {
      const mine = "choice" in entry;
      if (entry.speaker === "narrator") return el("p", { class: "pc-line pc-narrator", text: entry.text });
      const line = el("div", { class: `pc-line pc-${mine ? "self" : "other"} pc-${entry.speaker}` },
                      el("span", { class: "pc-who", text: this.speakerName(entry.speaker) }),
                      el("span", { class: "pc-text", text: entry.text }));
      if (!mine || !entry.feedback) return line;
      const hide = latestPick && !this.revealed;
      const note = el("div", { class: `pc-feedback${hide ? " pc-hidden" : ""}`, "data-feedback": true },
                      el("span", { class: "pc-who", text: this.web.feedback }),
                      el("span", { class: "pc-text", text: entry.feedback }));
      return el("div", { class: "pc-turn" }, line, note);
    }

    drawChoices() {
      const offered = this.dialogue.choices;
      this.choiceList.replaceChildren();
      this.prompt.textContent = offered.length ? this.web.your_turn : "";
      this.prompt.hidden = !offered.length;
      for (const choice of offered) {
        const n = choice.number + 1;
        const button = el("button", { type: "button", class: "pc-choice", "data-choice": n },
                          el("span", { class: "pc-choice-number", text: `${n}` }),
                          el("span", { class: "pc-choice-text", text: choice.text }));
        const row = el("div", { class: "pc-choice-row" }, button);
        if (this.workshop) {
          row.append(el("input", { type: "number", min: 0, step: 1, inputmode: "numeric", class: "pc-votes",
                                   "data-votes": n, "aria-label": format(this.web.vote_for, { n }),
                                   value: this.votes[choice.number] ? this.votes[choice.number] : null }));
        }
        this.choiceList.append(row);
      }
      if (offered.length) {
        this.choiceList.append(el("p", { class: "pc-keys-hint", text: format(this.web.keys_hint,
                                                                           { n: Math.min(9, offered.length) }) }));
      }
      this.roomControls.hidden = !(this.workshop && offered.length);
      this.roomNote.textContent = "";
      this.drawChart();
    }

    drawChart() {
      const offered = this.dialogue.choices;
      const counts = offered.map((_, i) => this.votes[i] || 0);
      const total = counts.reduce((a, b) => a + b, 0);
      this.chart.replaceChildren();
      counts.forEach((count, i) => {
        const share = total ? (100 * count) / total : 0;
        this.chart.append(el("div", { class: "pc-bar-row", "data-bar": i + 1 },
                             el("span", { class: "pc-bar-label", text: `${i + 1}` }),
                             el("span", { class: "pc-bar-track" },
                                el("span", { class: "pc-bar", style: `width:${share}%` })),
                             el("span", { class: "pc-bar-count", text: `${count}` })));
      });
    }

    drawDebrief() {
      const d = this.dialogue;
      this.debriefBox.replaceChildren();
      if (!d.finished) return;
      const w = this.web;
      const words = this.words;
      const ending = d.ending;
      const box = el("section", { class: `pc-debrief pc-ending-${ending.kind}`, "data-ending": d.state.node,
                                  "data-ending-kind": ending.kind, "data-score": d.score,
                                  "data-max-score": this.scenario.max_score });
      box.append(el("h3", { tabindex: -1 }, `${words.debrief} · ${words.ending}: ${ending.title}`));
      box.append(el("p", { class: "pc-ending-kind", text: `${w.ended} ${w.ending_kind[ending.kind] || ""}` }));
      box.append(el("p", { class: "pc-score" }, `${words.score}: `, el("strong", { text: String(d.score) }),
                    ` / ${words.max_score}: ${this.scenario.max_score}`));
      const rows = d.debrief(Object.fromEntries(Object.entries(this.info).map(([cp, i]) => [cp, i.lessons])));
      const body = el("tbody");
      for (const item of rows) {
        const info = this.info[item.checkpoint] || { name: item.checkpoint, text: "" };
        const name = el("td", { class: "pc-cp", title: `${item.checkpoint} — ${info.text}` },
                        el("span", { text: info.name }));
        if (item.lessons.length) {
          name.append(" ", el("a", { href: this.root + item.lessons[0], text: words.lessons_link }));
        }
        const notes = el("td", { class: "pc-notes" });
        item.notes.forEach((note) => notes.append(el("p", { text: note })));
        body.append(el("tr", { "data-checkpoint": item.checkpoint, "data-status": item.status },
                       el("td", { class: `pc-status pc-${item.status}`, text: words.status[item.status] }), name, notes));
      }
      box.append(el("table", { class: "pc-debrief-table" },
                    el("thead", {}, el("tr", {}, el("th", { text: w.result }), el("th", { text: w.checkpoint }),
                                      el("th", { text: w.feedback }))), body));
      if (this.room.length) box.append(this.roomPath());
      const download = el("button", { type: "button", class: "pc-download", "data-download": true, text: w.download });
      download.addEventListener("click", () => this.download());
      box.append(el("p", { class: "pc-download-row" }, download, " ", el("small", { text: w.download_hint })));
      this.debriefBox.append(box);
    }

    roomPath() {
      const w = this.web;
      const body = el("tbody");
      this.room.forEach((step, i) => {
        const votes = step.votes.map((count, j) => `${j + 1}: ${count}`).join(" · ");
        body.append(el("tr", {}, el("td", { text: String(i + 1) }),
                       el("td", {}, el("span", { class: "pc-choice-number", text: String(step.choice) }), step.text),
                       el("td", { class: "pc-room-votes", text: votes })));
      });
      return el("section", { class: "pc-room-path", "data-room-path": true },
                el("h4", { text: w.room_path }),
                el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: w.step }), el("th", { text: w.said }),
                                                  el("th", { text: w.votes }))), body));
    }

    /** The finished run as the notebook player saves it (runs/<id>.json): result plus save state. */
    runFile() {
      const data = this.dialogue.result();
      data.saved = JSON.parse(this.dialogue.save());
      return JSON.stringify(data, null, 2);
    }

    download() {
      const blob = new Blob([this.runFile()], { type: "application/json" });
      const link = el("a", { href: URL.createObjectURL(blob), download: `${this.scenario.id}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }
  }

  function keyPlayer() {
    if (active && document.contains(active.container)) return active;
    const visible = players.filter((p) => {
      const box = p.container.getBoundingClientRect();
      return box.bottom > 0 && box.top < root.innerHeight;
    });
    return visible[0] || players[0] || null;
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (!/^[1-9]$/.test(event.key)) return;
    const player = keyPlayer();
    if (!player || player.dialogue.finished || Number(event.key) > player.dialogue.choices.length) return;
    event.preventDefault();
    player.choose(Number(event.key) - 1, "key");
  }

  function mount() {
    const wordsScript = document.querySelector("script[data-perfcomm-words]");
    if (!wordsScript) return;
    const words = JSON.parse(wordsScript.textContent);
    for (const container of document.querySelectorAll("[data-perfcomm-player]")) {
      if (container.dataset.mounted) continue;
      const id = container.dataset.scenario;
      const script = [...document.querySelectorAll("script[data-perfcomm-story]")]
        .find((s) => s.dataset.perfcommStory === id);
      container.dataset.mounted = "true";
      try {
        new Player(container, JSON.parse(script.textContent), words);
      } catch (err) {
        container.append(el("p", { class: "pc-error", role: "alert", text: String(err.message || err) }));
        throw err;
      }
    }
  }

  function start() {
    mount(); // the page puts this script after its players: they are already there
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  }

  perfcomm.player = { Player, players, mount, browserStore };
  document.addEventListener("keydown", onKey);
  const ready = progress().ready;
  if (ready && typeof ready.then === "function") ready.then(start, start);
  else start();
})(typeof self !== "undefined" ? self : globalThis);
