# Inside Pyodide (run_lite.mjs): each job of /io/jobs.json through xlwings' own script call,
# the way xlwings Lite calls a @script function; results to /io/out.json.
import json
import os
import sys
import time

# What Lite's runtime sets before it imports the user's main.py: a licence, and the server
# mode in which xw.script registers a script (xlwings.server) instead of doing nothing.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ["XLWINGS_ON_SERVER"] = "true"
sys.path.insert(0, "/lite")

import xlwings as xw  # noqa: E402
from xlwings.pro.udfs_officejs import custom_scripts_call, custom_scripts_meta  # noqa: E402

import main  # noqa: E402 - the generated script

with open("/io/jobs.json", encoding="utf-8") as file:
    jobs = json.load(file)
results = {"platform": sys.platform, "version": sys.version.split()[0],
           "xlwings": xw.__version__, "scripts": custom_scripts_meta(main), "jobs": []}
for job in jobs:
    start = time.perf_counter()
    book = xw.Book(json=job["payload"])
    returned = await custom_scripts_call(main, job["script"],  # noqa: F704 - top-level await
                                         typehint_to_value={xw.Book: book})
    results["jobs"].append({"id": job["id"], "actions": returned.json()["actions"],
                            "seconds": round(time.perf_counter() - start, 2)})
with open("/io/out.json", "w", encoding="utf-8") as file:
    json.dump(results, file)
