// perfcomm: Pyodide for the kernel's worker, with the wasm the page compiled (wasm-page.js).
// The kernel imports this module as its pyodideUrl and calls loadPyodide; we ask the page for the
// compiled WebAssembly.Module and make Pyodide instantiate that one instead of fetching and
// compiling pyodide.asm.wasm again. Without an answer (no page script, no compileStreaming, an
// error) Pyodide loads as it always does.
import { loadPyodide as pyodideLoad } from "./pyodide.mjs";

export * from "./pyodide.mjs";

const WAIT_MS = 30000;

function compiledInPage() {
  if (typeof WorkerGlobalScope === "undefined" || typeof self.postMessage !== "function") {
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const done = (module) => {
      clearTimeout(timer);
      self.removeEventListener("message", answer);
      resolve(module instanceof WebAssembly.Module ? module : null);
    };
    const answer = (event) => {
      if (event.data && "perfcommWasm" in event.data) {
        event.stopImmediatePropagation();
        done(event.data.perfcommWasm);
      }
    };
    const timer = setTimeout(() => done(null), WAIT_MS);
    self.addEventListener("message", answer);
    self.postMessage({ perfcommWasm: "ask" });
  });
}

// Pyodide instantiates its wasm with WebAssembly.instantiateStreaming(fetch(...), imports) once
// its own imports are ready; for that one call, instantiate the page's module instead.
function instantiateOnce(module) {
  const streaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    WebAssembly.instantiateStreaming = streaming;
    Promise.resolve(source).then((r) => r.body && r.body.cancel()).catch(() => {});
    return { instance: await WebAssembly.instantiate(module, imports), module };
  };
  return () => { WebAssembly.instantiateStreaming = streaming; };
}

export async function loadPyodide(options = {}) {
  const module = await compiledInPage();
  if (!module) {
    return pyodideLoad(options);
  }
  const restore = instantiateOnce(module);
  try {
    return await pyodideLoad(options);
  } finally {
    restore();
  }
}
