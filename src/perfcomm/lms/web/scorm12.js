/* The SCORM 1.2 adapter of a package's launch pages (after lms.js, before the player).
 *
 * It finds the LMS's API object (a parent frame, or the window that opened this one) and calls
 * LMSInitialize. A lesson sets cmi.core.lesson_status to "completed" once the learner has reached
 * the end of the page. A scenario keeps the player's progress in cmi.suspend_data (at most 4096
 * characters, SCORM 1.2's limit), records each choice as an interaction, and at an ending reports
 * cmi.core.score.raw/min/max (the percentage of the scenario's best score; the best run counts) and
 * passed or failed against cmi.student_data.mastery_score (the manifest's adlcp:masteryscore).
 * Leaving sets cmi.core.session_time and cmi.core.exit, commits and calls LMSFinish.
 * Without an LMS (a preview from the file system) it does nothing: the page works as on the site. */
(function (root) {
  "use strict";
  const perfcomm = root.perfcomm;
  const lms = perfcomm.lms;
  const config = lms.config;
  const SUSPEND_LIMIT = 4096;

  /** SCORM 1.2's search: this window and its parents, then the opener and its parents. */
  function findIn(win) {
    for (let tries = 0; win && tries < 500; tries++) {
      try {
        if (win.API) return win.API;
      } catch (err) {
        // a frame of another origin: look further up
      }
      if (win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function discover() {
    const found = findIn(root);
    if (found) return found;
    try {
      return root.opener ? findIn(root.opener) : null;
    } catch (err) {
      return null;
    }
  }

  const api = discover();
  let live = false;
  try {
    live = Boolean(api) && String(api.LMSInitialize("")) === "true";
  } catch (err) {
    live = false;
  }
  if (!live) return;

  const get = (name) => {
    const value = api.LMSGetValue(name);
    return value === null || value === undefined ? "" : String(value);
  };
  const set = (name, value) => String(api.LMSSetValue(name, String(value))) === "true";
  const commit = () => api.LMSCommit("");
  /** CMIIdentifier: letters, digits, '-' and '_', at most 255 characters. */
  const identifier = (text) => String(text).replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 255) || "_";
  /** A choice response: one character, 1–9 then a–z. */
  const response = (n) => (n <= 9 ? String(n) : String.fromCharCode(87 + Math.min(n, 35)));

  const recording = get("cmi.core.lesson_mode") !== "review";   // a review records nothing
  if (recording && get("cmi.core.lesson_status") === "not attempted") set("cmi.core.lesson_status", "incomplete");

  if (config.kind === "scenario") {
    let saved = null;
    try {
      saved = JSON.parse(get("cmi.suspend_data") || "null");
    } catch (err) {
      saved = null;    // not ours: the player starts afresh
    }
    let last = null;
    perfcomm.progress = {
      platform: true,
      get() {
        return saved;
      },
      /** The player's state, trimmed to fit 4096 characters: the room's votes go first, then all but
       * the run itself (a Dialogue's save() is a few hundred characters). */
      set(key, value) {
        if (!recording) return;
        const candidates = [value, Object.assign({}, value, { room: [], votes: [] }), { save: value.save }];
        const text = candidates.map((c) => JSON.stringify(c)).find((t) => t.length <= SUSPEND_LIMIT);
        if (text === undefined || text === last) return;
        last = text;
        saved = JSON.parse(text);
        set("cmi.suspend_data", text);
      },
    };

    let shown = Date.now();   // when the choices now on offer appeared: the interaction's latency
    lms.on("step", (step) => {
      if (!recording) return;
      const now = Date.now();
      const n = Number(get("cmi.interactions._count")) || 0;
      const at = `cmi.interactions.${n}.`;
      set(`${at}id`, identifier(step.node));
      set(`${at}type`, "choice");
      set(`${at}student_response`, response(step.choice));
      set(`${at}result`, step.violates.length ? "wrong" : step.meets.length ? "correct" : "neutral");
      set(`${at}time`, lms.clock(new Date(now)));
      set(`${at}latency`, lms.timespan(now - shown));
      [...step.meets, ...step.violates].forEach((cp, m) => set(`${at}objectives.${m}.id`, identifier(cp)));
      shown = now;
      commit();
    });

    let best = Number.parseFloat(get("cmi.core.score.raw"));
    const mastery = Number.parseFloat(get("cmi.student_data.mastery_score"));
    lms.on("end", (end) => {
      if (!recording) return;
      const score = lms.percent(end.score, end.max);
      if (!(best >= score)) best = score;    // the best run counts, so a later run never lowers it
      set("cmi.core.score.min", 0);
      set("cmi.core.score.max", 100);
      set("cmi.core.score.raw", best);
      set("cmi.core.lesson_status", Number.isFinite(mastery) ? (best >= mastery ? "passed" : "failed") : "completed");
      commit();
    });
  } else {
    lms.onPageEnd(() => {
      if (!recording || ["completed", "passed"].includes(get("cmi.core.lesson_status"))) return;
      set("cmi.core.lesson_status", "completed");
      commit();
    });
  }

  lms.openLinksAside();
  lms.onLeave(() => {
    if (recording) {
      set("cmi.core.session_time", lms.timespan(Date.now() - lms.started));
      // A scenario keeps its run for the next launch (its debrief, once finished); a lesson until read.
      const resume = config.kind === "scenario" || get("cmi.core.lesson_status") === "incomplete";
      set("cmi.core.exit", resume ? "suspend" : "");
      commit();
    }
    api.LMSFinish("");
  });
})(typeof self !== "undefined" ? self : globalThis);
