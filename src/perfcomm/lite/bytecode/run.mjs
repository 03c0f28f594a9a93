// perfcomm: run compile_in_pyodide.py with Pyodide's own Python in Node (the site build calls this).
//   node run.mjs PYODIDE_DIR WORK_DIR
// WORK_DIR/job.json: {"imports": [module, ...], "archives": [[source, target], ...]}, paths
// relative to WORK_DIR, which is mounted at /work in Pyodide's file system. The wheels among the
// sources are installed first, so that the script can see what the imports load.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [pyodideDir, workDir] = process.argv.slice(2);
const job = JSON.parse(readFileSync(join(workDir, "job.json"), "utf8"));
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const quiet = () => {};
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: quiet });
const wheels = job.archives.map(([source]) => source).filter((s) => s.endsWith(".whl"));
await pyodide.loadPackage(wheels.map((s) => join(workDir, s)), { messageCallback: quiet });
pyodide.FS.mkdirTree("/work");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: workDir }, "/work");
const here = fileURLToPath(new URL(".", import.meta.url));
pyodide.runPython(readFileSync(join(here, "compile_in_pyodide.py"), "utf8"),
  { filename: "compile_in_pyodide.py" });
