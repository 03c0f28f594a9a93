/* The "hand in" control's browser half (exercise/handin.py draws the control and sends this script
 * as the cell's output when the button is clicked). It saves the open notebook, so the prose answers
 * typed into it are in the file, then asks the notebook's kernel to pack the learner's folder
 * (perfcomm.exercise.handin.emit) and offers the zip it sends back as one download.
 * The configuration comes from Python as JSON: {learner, notebook?, mime, code, words}. No text of the
 * course is written here. */
(async function (config) {
  "use strict";
  const words = config.words;
  const app = window.jupyterapp;
  const note = (text) => {
    const status = document.querySelectorAll("[data-perfcomm-handin-status]");
    if (status.length) status[status.length - 1].textContent = text;
  };
  const panel = app && app.shell && app.shell.currentWidget;
  if (!panel || !panel.context || !panel.sessionContext || !panel.sessionContext.session) {
    note(words.no_app);
    return;
  }
  try {
    await panel.context.save();
    const name = panel.context.path.split("/").pop();
    // one pass with a function: neither value is scanned again, and no "$&" in a name is special
    const values = { notebook: name, learner: config.learner };
    const code = config.code.replace(/\{(notebook|learner)\}/g, (_, key) => JSON.stringify(values[key]));
    const future = panel.sessionContext.session.kernel.requestExecute(
      { code: code, silent: false, store_history: false });
    let packed = null;
    future.onIOPub = (msg) => {
      const data = msg.content && msg.content.data;
      if (data && data[config.mime]) packed = data[config.mime];
    };
    await future.done;
    if (!packed) { note(words.failed); return; }
    const bytes = Uint8Array.from(atob(packed.data), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/zip" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = packed.name;
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(url); link.remove(); }, 60000);
    note(words.done.replace("{file}", packed.name));
  } catch (err) {
    note(words.failed + " (" + String(err && err.message || err) + ")");
  }
})
