/* The cmi5 adapter of a package's launch pages (after lms.js, before the player).
 *
 * The LMS launches the page with endpoint, fetch, actor, registration and activityId in the query
 * string (cmi5 §8.1). The adapter POSTs the fetch URL for the session's auth token (§8.2), reads
 * the LMS.LaunchData state document (§10: contextTemplate, launchMode, masteryScore), reads its own
 * state document (the player's progress and what this registration has already been sent), sends
 * "initialized", and only then lets the player start. Then:
 * - each choice: an "answered" statement, cmi5 allowed (the context template, the AU as parent, no
 *   cmi5 category), object a cmi.interaction of type choice, result.response the choice number,
 *   success by what it meets or violates, the checkpoint ids in result extensions;
 * - a scenario's ending, or the end of a lesson's page: "completed" (once per registration);
 * - a scenario's ending: "passed" with the scaled score when it reaches masteryScore (once per
 *   registration); otherwise "failed" when the session ends without a pass;
 * - leaving: "terminated", the last statement.
 * "launched" is the LMS's. In Browse or Review launch mode only initialized, answered and
 * terminated are sent. Without launch parameters (a preview) it does nothing. */
(function (root) {
  "use strict";
  const perfcomm = root.perfcomm;
  const lms = perfcomm.lms;
  const config = lms.config;
  const query = new URLSearchParams(root.location.search);
  const launch = {};
  for (const name of ["endpoint", "fetch", "actor", "registration", "activityId"]) launch[name] = query.get(name);
  if (Object.values(launch).some((value) => !value)) return;
  let actor;
  try {
    actor = JSON.parse(launch.actor);
  } catch (err) {
    return;
  }

  const endpoint = launch.endpoint.endsWith("/") ? launch.endpoint : `${launch.endpoint}/`;
  const CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  const MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  const MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  const STATE = "perfcomm-progress";   // this AU's own state document, per registration
  const verb = (name) => ({ id: `http://adlnet.gov/expapi/verbs/${name}`, display: { "en-US": name } });
  const au = { objectType: "Activity", id: launch.activityId };

  let token = null;
  let launchData = {};
  let doc = { saved: null, completed: false, passed: false };
  let live = false;
  let judged = false;        // passed or failed sent in this session (at most one of them)
  let failedRun = null;      // the best run below the mastery score, sent as "failed" when leaving

  function uuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const headers = (json) => Object.assign({ Authorization: `Basic ${token}`, "X-Experience-API-Version": "1.0.3" },
                                          json ? { "Content-Type": "application/json" } : {});

  function stateUrl(stateId) {
    const q = new URLSearchParams({ activityId: launch.activityId, agent: JSON.stringify(actor),
                                    registration: launch.registration });
    if (stateId) q.set("stateId", stateId);
    return `${endpoint}activities/state?${q}`;
  }

  async function readState(stateId) {
    const reply = await fetch(stateUrl(stateId), { headers: headers(false), cache: "no-store" });
    if (!reply.ok) throw new Error(`state ${stateId || "ids"}: HTTP ${reply.status}`);
    return reply.json();
  }

  /** The context template, filled in: the template's values are kept as the LMS gave them. */
  function context({ categories = [], parent = null, extensions = {} } = {}) {
    const ctx = JSON.parse(JSON.stringify(launchData.contextTemplate || {}));
    ctx.registration = launch.registration;
    const activities = (ctx.contextActivities = ctx.contextActivities || {});
    if (categories.length) {
      const have = activities.category || [];
      activities.category = have.concat(categories.filter((id) => !have.some((a) => a.id === id))
                                                  .map((id) => ({ objectType: "Activity", id })));
    }
    if (parent) activities.parent = (activities.parent || []).concat([parent]);
    if (Object.keys(extensions).length) ctx.extensions = Object.assign({}, extensions, ctx.extensions || {});
    return ctx;
  }

  function statement(name, object, result, ctx) {
    const out = { id: uuid(), timestamp: stamp(), actor, verb: verb(name), object, context: ctx };
    if (result) out.result = result;
    return out;
  }

  const defined = (name, result, extra = {}) =>
    statement(name, au, result, context(Object.assign({ categories: [CMI5] }, extra)));

  /** Timestamps strictly increase within a session, so that their order is the order the learner
   * acted in even when several statements come from one click (cmi5 §9.3 orders by timestamp). */
  let lastStamp = 0;
  function stamp() {
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    return new Date(lastStamp).toISOString();
  }

  /** Statements go out in the order they were made, one request at a time, all of one moment in one
   * request (keepalive, so that a request outlives a page closed right after a choice). The promise
   * settles when the request holding these statements has been answered. */
  let queue = [];
  let inFlight = null;
  function send(statements) {
    return new Promise((done) => {
      queue.push({ statements, done });
      pump();
    });
  }

  function pump() {
    if (inFlight || !queue.length) return;
    const batch = queue;
    queue = [];
    inFlight = post(batch.flatMap((item) => item.statements)).then(() => {
      inFlight = null;
      batch.forEach((item) => item.done());
      pump();
    });
  }

  function post(statements) {
    return fetch(`${endpoint}statements`, { method: "POST", headers: headers(true), body: JSON.stringify(statements),
                                            keepalive: true })
      .then((reply) => {
        if (!reply.ok) console.warn(`perfcomm cmi5: the LRS refused statements (HTTP ${reply.status})`);
      }, () => undefined);
  }

  let saving = null;
  let dirty = false;
  function saveState(keepalive) {
    if (!live) return;
    if (saving && !keepalive) {
      dirty = true;
      return;
    }
    saving = fetch(stateUrl(STATE), { method: "PUT", headers: headers(true), body: JSON.stringify(doc), keepalive })
      .catch(() => undefined)
      .then(() => {
        saving = null;
        if (dirty) {
          dirty = false;
          saveState(false);
        }
      });
  }

  const normal = () => (launchData.launchMode || "Normal") === "Normal";
  const mastery = () => (typeof launchData.masteryScore === "number" ? launchData.masteryScore : null);

  function completed() {
    if (!live || !normal() || doc.completed) return;
    doc.completed = true;
    saveState(false);
    send([defined("completed", { completion: true, duration: lms.duration(Date.now() - lms.started) },
                  { categories: [CMI5, MOVE_ON] })]);
  }

  /** A run's score scaled 0–1 (four decimals; a negative score counts as 0), as judged and sent. */
  const scaled = (run) => Math.round((10000 * Math.max(0, Math.min(run.max, run.score))) / Math.max(1, run.max)) / 10000;

  function judgement(name, run) {
    const raw = Math.max(0, Math.min(run.max, run.score));
    return defined(name, { score: { scaled: scaled(run), raw, min: 0, max: run.max }, success: name === "passed",
                           duration: lms.duration(Date.now() - lms.started) },
                   { categories: [CMI5, MOVE_ON], extensions: { [MASTERY]: mastery() } });
  }

  async function start() {
    const reply = await fetch(launch.fetch, { method: "POST", cache: "no-store" });
    const body = await reply.json();
    if (!body["auth-token"]) throw new Error(`perfcomm cmi5: no auth token (${body["error-text"] || reply.status})`);
    token = body["auth-token"];
    launchData = (await readState("LMS.LaunchData")) || {};
    const kept = await readState(null);          // the ids of the state documents there are
    if (Array.isArray(kept) && kept.includes(STATE)) doc = Object.assign(doc, (await readState(STATE)) || {});
    live = true;
    await send([defined("initialized")]);
  }

  const ready = start().catch((err) => {
    live = false;
    console.warn(String(err && err.message ? err.message : err));
  });

  perfcomm.progress = {
    platform: true,
    ready,
    get() {
      return doc.saved;
    },
    set(key, value) {
      doc.saved = value;
      saveState(false);
    },
  };

  lms.on("step", (step) => {
    if (!live) return;
    const lang = config.lang;
    const object = {
      objectType: "Activity",
      id: `${config.au}/decisions/${encodeURIComponent(step.node)}`,
      definition: {
        type: "http://adlnet.gov/expapi/activities/cmi.interaction",
        name: { [lang]: `${config.title} · ${step.node}` },
        interactionType: "choice",
        choices: step.offered.map((text, i) => ({ id: String(i + 1), description: { [lang]: text } })),
      },
    };
    const result = { response: String(step.choice),
                     extensions: { [config.extensions.meets]: step.meets, [config.extensions.violates]: step.violates } };
    if (step.violates.length) result.success = false;
    else if (step.meets.length) result.success = true;
    send([statement("answered", object, result, context({ parent: au }))]);
  });

  lms.on("end", (end) => {
    if (!live) return;
    completed();
    const threshold = mastery();
    if (!normal() || threshold === null || doc.passed || judged) return;
    if (scaled(end) >= threshold) {
      judged = true;
      failedRun = null;
      doc.passed = true;
      saveState(false);
      send([judgement("passed", end)]);
    } else if (!failedRun || end.score > failedRun.score) {
      failedRun = end;
    }
  });

  if (config.kind !== "scenario") ready.then(() => lms.onPageEnd(completed));

  lms.openLinksAside();
  lms.onLeave(() => {
    if (!live) return;
    const last = [];
    if (failedRun && !judged && !doc.passed && normal()) last.push(judgement("failed", failedRun));
    last.push(defined("terminated", { duration: lms.duration(Date.now() - lms.started) }));
    live = false;
    // The page is going: what is still queued goes now, with the last statements, in one request.
    post([...queue.flatMap((item) => item.statements), ...last]);
    queue = [];
    fetch(stateUrl(STATE), { method: "PUT", headers: headers(true), body: JSON.stringify(doc), keepalive: true });
  });
})(typeof self !== "undefined" ? self : globalThis);
