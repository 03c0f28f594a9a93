/* Shared part of the learning-platform adapters (scorm12.js, cmi5.js). Only a package's launch
 * pages load it, in <head>, before the page's player: the player (players/web/player.js) then finds
 * the progress store an adapter sets on perfcomm.progress and announces what is played with DOM
 * events ("perfcomm:step", "perfcomm:end"), which the adapters report to the platform.
 *
 * The unit's settings come from <script type="application/json" data-perfcomm-lms>, written by
 * lms/site.py: {standard, kind: "lesson" | "scenario", unit, lang, …}. No course text here. */
(function (root) {
  "use strict";
  const perfcomm = (root.perfcomm = root.perfcomm || {});
  const script = document.querySelector("script[data-perfcomm-lms]");
  const config = script ? JSON.parse(script.textContent) : {};
  const started = Date.now();

  /** listener(detail) for each "perfcomm:<name>" event a player dispatches. */
  function on(name, listener) {
    document.addEventListener(`perfcomm:${name}`, (event) => listener(event.detail));
  }

  function whenParsed(run) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
    else run();
  }

  /** listener() once, when the end of the page's content has been on screen. */
  function onPageEnd(listener) {
    let done = false;
    const fire = () => {
      if (!done) {
        done = true;
        listener();
      }
    };
    whenParsed(() => {
      const content = document.querySelector("article") || document.body;
      const mark = document.createElement("span");
      mark.setAttribute("data-perfcomm-end", "");
      mark.setAttribute("aria-hidden", "true");
      content.append(mark);
      if (!("IntersectionObserver" in root)) {
        const check = () => {
          if (mark.getBoundingClientRect().top < root.innerHeight) fire();
        };
        root.addEventListener("scroll", check, { passive: true });
        check();
        return;
      }
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          fire();
        }
      });
      observer.observe(mark);
    });
  }

  /** listener() once, when the learner leaves the unit: the page is closed, replaced or unframed. */
  function onLeave(listener) {
    let done = false;
    const fire = () => {
      if (!done) {
        done = true;
        listener();
      }
    };
    root.addEventListener("pagehide", fire);
    root.addEventListener("beforeunload", fire);
  }

  /** Links to other pages open beside the unit, so that following one does not end it. */
  function openLinksAside() {
    document.addEventListener("click", (event) => {
      const link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || link.target || link.hasAttribute("download")) return;
      const url = new URL(link.href, root.location.href);
      if (url.pathname === root.location.pathname && url.search === root.location.search) return;
      link.target = "_blank";
      link.rel = "noopener";
    }, true);
  }

  /** A run's score as a percentage of the scenario's best score (0–100, two decimals; a negative
   * score counts as 0). Platforms grade on 0–100, and the mastery score is on that scale too. */
  function percent(score, max) {
    if (!(max > 0)) return 0;
    return Math.max(0, Math.min(100, Math.round((10000 * score) / max) / 100));
  }

  const pad = (n, width = 2) => String(n).padStart(width, "0");

  /** SCORM 1.2 CMITimespan, HHHH:MM:SS.SS. */
  function timespan(ms) {
    const cs = Math.min(Math.max(0, Math.round(ms / 10)), 9999 * 360000 - 1);
    const h = Math.floor(cs / 360000);
    const m = Math.floor((cs % 360000) / 6000);
    const s = Math.floor((cs % 6000) / 100);
    return `${pad(h, 4)}:${pad(m)}:${pad(s)}.${pad(cs % 100)}`;
  }

  /** SCORM 1.2 CMITime, the time of day: HH:MM:SS. */
  function clock(date) {
    return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }

  /** xAPI duration, ISO 8601 to the hundredth of a second. */
  function duration(ms) {
    return `PT${(Math.max(0, ms) / 1000).toFixed(2)}S`;
  }

  perfcomm.lms = { config, started, on, onPageEnd, onLeave, openLinksAside, percent, timespan, clock, duration };
})(typeof self !== "undefined" ? self : globalThis);
