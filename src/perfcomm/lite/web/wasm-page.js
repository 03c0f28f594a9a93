// perfcomm: compile Pyodide's wasm in the page and hand the compiled module to the kernel's worker.
// Chromium keeps wasm compiled by WebAssembly.compileStreaming in a page in its code cache, so a
// second visit skips the compile; a worker compiling it itself (Pyodide's default) gets no such
// cache. The worker's side is pyodide-worker.mjs (the kernel's pyodideUrl): it asks with
// {perfcommWasm: "ask"} and falls back to Pyodide's own loading when the answer is null.
(function () {
  "use strict";
  var url = new URL("pyodide.asm.wasm", document.currentScript.src).href;   // beside this file
  var compiled = WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(fetch(url)).catch(function () { return null; })
    : Promise.resolve(null);
  var Base = window.Worker;
  function PerfcommWorker(script, options) {
    var worker = new Base(script, options);
    worker.addEventListener("message", function (event) {
      if (event.data && event.data.perfcommWasm === "ask") {
        compiled.then(function (module) {
          worker.postMessage({ perfcommWasm: module });
          performance.mark("perfcomm-wasm-handed");    // read by benchmarks/lite.py
        });
      }
    });
    return worker;
  }
  PerfcommWorker.prototype = Base.prototype;
  window.Worker = PerfcommWorker;
})();
