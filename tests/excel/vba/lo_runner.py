"""Open a macro workbook in headless LibreOffice, run one of its VBA macros, save the result.

Run with the *system* python3 (it needs LibreOffice's ``uno`` module, Debian package
python3-uno), not the project venv:

    python3 lo_runner.py IN.xlsm OUT.xlsx MODULE.MACRO [--timeout 60]

Prints one JSON object: the modules LibreOffice sees in the document's VBA library (named
after the project), the macros bound to form buttons, and the result of invoking the macro.
LibreOffice runs in a fresh temporary profile that allows document macros without asking,
and is ended (by its own process group) whatever happens; a watchdog ends both if a UNO
call hangs past the timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

# Low macro security, and VBA code in Excel files loaded *and executable*.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">
  <prop oor:name="Load" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">
  <prop oor:name="Executable" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def _props(**values: object) -> tuple:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def _connect(pipe: str, deadline: float, process: subprocess.Popen):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if process.poll() is not None:
                raise RuntimeError(f"soffice exited early with status {process.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("soffice did not accept a connection in time")
            time.sleep(0.3)


def _buttons(document) -> list[dict[str, str]]:
    """Form controls on every sheet with the script events bound to them."""
    found = []
    for sheet in document.Sheets:
        forms = sheet.DrawPage.Forms
        for form_index in range(forms.Count):
            form = forms.getByIndex(form_index)
            for index in range(form.Count):
                control = form.getByIndex(index)
                for event in form.getScriptEvents(index):
                    found.append({
                        "sheet": sheet.Name,
                        "control": control.Name,
                        "label": getattr(control, "Label", ""),
                        "event": f"{event.ListenerType}.{event.EventMethod}",
                        "script_type": event.ScriptType,
                        "script": event.ScriptCode,
                    })
    return found


def run(source: Path, target: Path, macro: str, timeout: float,
        result: dict[str, object]) -> dict[str, object]:
    """Fill ``result`` as far as the run gets (so a failure still shows what was seen)."""
    deadline = time.monotonic() + timeout
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    with tempfile.TemporaryDirectory(prefix="lo_vba_profile_") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
        pipe = f"pohon_xl_{uuid.uuid4().hex}"
        process = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             "--nolockcheck", f"-env:UserInstallation={Path(profile).as_uri()}",
             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        def give_up() -> None:  # a UNO call hung: end our soffice and this script
            print(json.dumps({**result, "error": f"TimeoutError: no result within {timeout} s"}),
                  flush=True)
            _kill(process)
            os._exit(1)

        watchdog = threading.Timer(timeout, give_up)
        watchdog.daemon = True
        watchdog.start()
        try:
            context = _connect(pipe, deadline, process)
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context)
            work_copy = Path(profile) / source.name  # lock files land here, not beside source
            shutil.copyfile(source, work_copy)
            document = desktop.loadComponentFromURL(
                work_copy.as_uri(), "_blank", 0,
                _props(Hidden=True, MacroExecutionMode=4, ReadOnly=False))  # 4: ALWAYS_EXECUTE_NO_WARN
            if document is None:
                raise RuntimeError(f"LibreOffice could not load {source}")
            libraries = document.BasicLibraries
            result["libraries"] = list(libraries.ElementNames)
            # LibreOffice names the imported library after the VBA project (PROJECTNAME).
            vba_libraries = [name for name in libraries.ElementNames if name != "Standard"]
            if not vba_libraries:
                raise RuntimeError("no VBA library was imported from the document")
            library_name = vba_libraries[0]
            libraries.loadLibrary(library_name)
            library = libraries.getByName(library_name)
            result["modules"] = sorted(library.ElementNames)
            result["module_sources"] = {name: library.getByName(name) for name in library.ElementNames}
            result["vba_mode"] = bool(getattr(libraries, "VBACompatibilityMode", False))
            result["code_names"] = {sheet.Name: sheet.CodeName for sheet in document.Sheets}
            result["buttons"] = _buttons(document)
            script = document.getScriptProvider().getScript(
                f"vnd.sun.star.script:{library_name}.{macro}?language=Basic&location=document")
            value = script.invoke((), (), ())
            result["invoke_result"] = repr(value[0]) if isinstance(value, tuple) else repr(value)
            document.storeToURL(target.resolve().as_uri(),
                                _props(FilterName="Calc MS Excel 2007 XML", Overwrite=True))
            document.close(True)
            try:
                desktop.terminate()
            except Exception:  # the bridge drops as soffice exits
                pass
        finally:
            try:
                process.wait(timeout=max(1.0, min(10.0, deadline - time.monotonic())))
            except subprocess.TimeoutExpired:
                _kill(process)
            watchdog.cancel()
    return result


def _kill(process: subprocess.Popen) -> None:
    """End the soffice we started: its own process group (it runs in a new session)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("macro", help="Module.Macro, e.g. Module1.WriteCell")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    result: dict[str, object] = {}
    try:
        run(args.source, args.target, args.macro, args.timeout, result)
    except Exception as error:  # report anything as JSON for the test to show
        result["error"] = f"{type(error).__name__}: {error}"
        print(json.dumps(result))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
