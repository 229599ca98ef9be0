// Runs the xlwings Lite scripts of a generated main.py under Node + Pyodide, as the add-in does:
// the workbook as xlwings' JSON payload -> xw.Book(json=...) -> the @script function -> the
// actions it queued. Usage: node run_lite.mjs LITE_DIR MAIN_DIR IO_DIR
// LITE_DIR holds node_modules/pyodide and wheels/*.whl; IO_DIR holds jobs.json, gets out.json.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [, , liteDir, mainDir, ioDir] = process.argv;
const { loadPyodide } = await import(
  pathToFileURL(path.join(liteDir, "node_modules", "pyodide", "pyodide.mjs")).href);
const py = await loadPyodide();
const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
const wheels = path.join(liteDir, "wheels");
for (const name of fs.readdirSync(wheels).filter((n) => n.endsWith(".whl")).sort()) {
  py.unpackArchive(new Uint8Array(fs.readFileSync(path.join(wheels, name))), "wheel",
                   { extractDir: site });
}
for (const [mount, dir] of [["/lite", mainDir], ["/io", ioDir]]) {
  py.FS.mkdirTree(mount);
  py.mountNodeFS(mount, path.resolve(dir));
}
const harness = fs.readFileSync(new URL("./harness.py", import.meta.url), "utf8");
await py.runPythonAsync(harness);
