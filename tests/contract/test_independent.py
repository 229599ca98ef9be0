"""Black-box contract check of `pohon-xl validasi`, using workbooks built independently.

The workbooks come from build_independent.py (XlsxWriter, contract-only knowledge); the tool
is run only through its command line. See build_independent.py for what is in them.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import openpyxl.utils
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

_spec = importlib.util.spec_from_file_location("build_independent",
                                               HERE / "build_independent.py")
bi = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bi)

REPORTED = ("Galat", "Peringatan")
VARIANTS = ("correct", "defective", "missing_column")


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def parse_json(stdout):
    try:
        return json.loads(stdout)
    except ValueError:
        start = stdout.find("{")
        if start < 0:
            return None
        try:
            return json.loads(stdout[start:])
        except ValueError:
            return None


class Run:
    def __init__(self, variant, src, out, digest, proc, data):
        self.variant, self.src, self.out, self.digest = variant, src, out, digest
        self.proc, self.data = proc, data

    @property
    def findings(self):
        if not isinstance(self.data, dict):
            return []
        return list(self.data.get("temuan") or [])

    def describe(self):
        lines = [f"--- {self.variant}: exit {self.proc.returncode}",
                 f"cmd: {' '.join(map(str, self.proc.args))}"]
        if self.proc.stderr.strip():
            lines.append("stderr: " + self.proc.stderr.strip()[-3000:])
        if self.data is None:
            lines.append("stdout (not JSON): " + self.proc.stdout[:3000])
        else:
            lines.append(f"jumlah: {self.data.get('jumlah')}")
            lines += [fmt_finding(f) for f in self.findings]
        return "\n".join(lines)


def fmt_finding(f):
    return (f"  [{f.get('tingkat')}] {f.get('kode')} {f.get('sheet')}!{f.get('kolom') or ''}"
            f"{f.get('baris')} id={f.get('id')!r}: {f.get('pesan')} | saran: {f.get('saran')}")


def same_row(f, sheet, row):
    if f.get("sheet") != sheet:
        return False
    try:
        return int(f.get("baris")) == int(row)
    except (TypeError, ValueError):
        return False


def run_validasi(src, out):
    cmd = [sys.executable, "-m", "pohon_xl", "validasi", str(src), "-o", str(out), "--json"]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    d = tmp_path_factory.mktemp("independent")
    result = {}
    for variant in VARIANTS:
        src = d / f"sukamaju_dinkes_{variant}.xlsx"
        bi.build_workbook(src, variant)
        digest = sha256(src)
        out = d / f"sukamaju_dinkes_{variant}_hasil.xlsx"
        proc = run_validasi(src, out)
        result[variant] = Run(variant, src, out, digest, proc, parse_json(proc.stdout))
    return result


# --------------------------------------------------------------------------------------
def test_correct_workbook_exit_0_and_no_galat(runs):
    r = runs["correct"]
    print(r.describe())
    assert r.data is not None, "no JSON on stdout\n" + r.describe()
    galat = [f for f in r.findings if f.get("tingkat") == "Galat"]
    assert r.proc.returncode == 0, "correct workbook: exit != 0\n" + r.describe()
    assert (r.data.get("jumlah") or {}).get("Galat") == 0, r.describe()
    assert not galat, "Galat on the correct workbook:\n" + "\n".join(map(fmt_finding, galat))


def test_defective_workbook_exit_1(runs):
    r = runs["defective"]
    print(r.describe())
    assert r.data is not None, "no JSON on stdout\n" + r.describe()
    assert r.proc.returncode == 1, r.describe()
    assert (r.data.get("jumlah") or {}).get("Galat", 0) >= 1, r.describe()


def test_each_planted_defect_is_reported_at_its_row(runs):
    """Each planted defect must be reported (Galat or Peringatan) at its sheet and row.

    A finding only counts for a defect if the same rule (kode) is not also reported at the
    same sheet/row of the correct workbook (rows are identical between the two, apart from
    the appended duplicate): otherwise a pre-existing warning would "match" by accident.
    """
    r, base = runs["defective"], runs["correct"]
    assert r.data is not None, "no JSON on stdout\n" + r.describe()
    report, unmatched = [], []
    for sheet, row, text in bi.DEFECTS:
        baseline_codes = {f.get("kode") for f in base.findings if same_row(f, sheet, row)}
        hits = [f for f in r.findings
                if same_row(f, sheet, row) and f.get("tingkat") in REPORTED
                and f.get("kode") not in baseline_codes]
        if hits:
            report.append(f"REPORTED   {sheet} row {row}: {text}")
            report += ["      " + fmt_finding(f) for f in hits]
        else:
            unmatched.append((sheet, row, text))
            report.append(f"NOT FOUND  {sheet} row {row}: {text}")
            near = [f for f in r.findings if f.get("sheet") == sheet]
            report += ["      (same sheet) " + fmt_finding(f) for f in near] or \
                      ["      (no findings at all on this sheet)"]
    print("\n".join(report))
    assert not unmatched, (
        f"{len(unmatched)} of {len(bi.DEFECTS)} planted defects not reported at their row:\n"
        + "\n".join(f"  - {s} row {w}: {t}" for s, w, t in unmatched)
        + "\n\nfull output:\n" + r.describe())


def test_missing_column_is_reported_naming_the_sheet(runs):
    r = runs["missing_column"]
    print(r.describe())
    sheet = bi.L4
    assert r.proc.returncode != 0, "missing `Satuan` column on L4 not treated as an error\n" \
        + r.describe()
    named = [f for f in r.findings
             if f.get("sheet") == sheet or sheet in str(f.get("pesan") or "")]
    if r.proc.returncode == 2:  # "not a workbook of this contract": one-line reason
        assert named or sheet in r.proc.stderr, r.describe()
    else:
        assert named, f"no finding naming {sheet}\n" + r.describe()


@pytest.mark.parametrize("variant", ["correct", "defective"])
def test_output_keeps_extra_sheet_and_column_and_adds_status(runs, variant):
    r = runs[variant]
    assert r.out.exists(), "no output workbook\n" + r.describe()
    src = openpyxl.load_workbook(r.src)
    out = openpyxl.load_workbook(r.out)

    # extra sheet, unchanged
    assert bi.EXTRA_SHEET in out.sheetnames, out.sheetnames
    a, b = src[bi.EXTRA_SHEET], out[bi.EXTRA_SHEET]
    for row in a.iter_rows():
        for c in row:
            assert b[c.coordinate].value == c.value, (bi.EXTRA_SHEET, c.coordinate)

    # extra column, unchanged and in place
    a, b = src[bi.EXTRA_COLUMN_SHEET], out[bi.EXTRA_COLUMN_SHEET]
    col = next(c.column for c in a[1] if str(c.value).strip() == bi.EXTRA_COLUMN)
    for rr in range(1, a.max_row + 1):
        assert b.cell(rr, col).value == a.cell(rr, col).value, (bi.EXTRA_COLUMN, rr)

    # Status / Catatan Validasi on every level sheet
    missing = []
    for sheet in bi.LEVEL_SHEETS:
        headers = {str(c.value).strip().lower() for c in out[sheet][1] if c.value is not None}
        for h in ("Status", "Catatan Validasi"):
            if h.lower() not in headers:
                missing.append(f"{sheet}: {h}")
    assert not missing, "headers missing in output: " + ", ".join(missing)


@pytest.mark.parametrize("variant", ["correct", "defective"])
def test_output_does_not_change_input_cells(runs, variant):
    """Contract: nothing else on an input sheet is changed (except highlighting/notes)."""
    r = runs[variant]
    assert r.out.exists(), "no output workbook\n" + r.describe()
    src = openpyxl.load_workbook(r.src)
    out = openpyxl.load_workbook(r.out)
    changed = []
    for name in src.sheetnames:
        if name not in out.sheetnames:
            changed.append(f"{name}: sheet missing")
            continue
        a, b = src[name], out[name]
        for row in a.iter_rows():
            for c in row:
                if b[c.coordinate].value != c.value:
                    changed.append(f"{name}!{c.coordinate}: {c.value!r} -> "
                                   f"{b[c.coordinate].value!r}")
    assert not changed, "input cells changed in output:\n" + "\n".join(changed[:50])


@pytest.mark.parametrize("variant", VARIANTS)
def test_input_file_unchanged(runs, variant):
    r = runs[variant]
    assert sha256(r.src) == r.digest, f"{variant}: input file modified"


# --------------------------------------------------------------------------------------
# further contract points (Laporan_Validasi, per-row Status, JSON consistency)
# --------------------------------------------------------------------------------------
LAPORAN = "Laporan_Validasi"
LAPORAN_HEADERS = ["Kode", "Tingkat", "Sheet", "Baris", "Kolom", "ID", "Pesan", "Saran"]


def _headers(ws):
    return {str(c.value).strip().lower(): c.column for c in ws[1] if c.value is not None}


@pytest.mark.parametrize("variant", ["correct", "defective"])
def test_json_counts_match_findings(runs, variant):
    r = runs[variant]
    assert r.data is not None, r.describe()
    counted = {k: sum(1 for f in r.findings if f.get("tingkat") == k)
               for k in ("Galat", "Peringatan", "Info")}
    assert {k: r.data["jumlah"].get(k) for k in counted} == counted, r.describe()
    for f in r.findings:
        assert set(f) >= {"kode", "tingkat", "sheet", "baris", "kolom", "id", "pesan",
                          "saran"}, f


def test_laporan_validasi_lists_every_finding_with_a_link(runs):
    r = runs["defective"]
    out = openpyxl.load_workbook(r.out)
    assert LAPORAN in out.sheetnames, out.sheetnames
    ws = out[LAPORAN]
    h = _headers(ws)
    missing = [x for x in LAPORAN_HEADERS if x.lower() not in h]
    assert not missing, f"{LAPORAN} lacks headers {missing}; has {list(h)}"
    rows = []
    for rr in range(2, ws.max_row + 1):
        rec = {x: ws.cell(rr, h[x.lower()]).value for x in LAPORAN_HEADERS}
        if any(v not in (None, "") for v in rec.values()):
            links = []
            for c in ws[rr]:
                if c.hyperlink is not None:
                    links.append(str(c.hyperlink.location or c.hyperlink.target or ""))
                elif isinstance(c.value, str) and c.value.upper().startswith("=HYPERLINK"):
                    links.append(c.value)
            rows.append((rec, links))
    src = openpyxl.load_workbook(r.src)
    problems = []
    for f in r.findings:
        # where the finding's column is one of our headers, the link must name that cell
        if f["sheet"] in src.sheetnames and f.get("kolom") and isinstance(f.get("baris"), int):
            col = _headers(src[f["sheet"]]).get(str(f["kolom"]).strip().lower())
            if col:
                cell = openpyxl.utils.get_column_letter(col) + str(f["baris"])
                m = [links for rec, links in rows if rec["Kode"] == f["kode"]
                     and rec["Sheet"] == f["sheet"] and str(rec["Baris"]) == str(f["baris"])]
                if m and not any(l.replace("$", "").endswith("!" + cell) for l in m[0]):
                    problems.append(f"link not to {f['sheet']}!{cell}: {fmt_finding(f)} {m[0]}")
        match = [(rec, links) for rec, links in rows
                 if rec["Kode"] == f["kode"] and rec["Sheet"] == f["sheet"]
                 and str(rec["Baris"]) == str(f["baris"])]
        if not match:
            problems.append("not in Laporan_Validasi: " + fmt_finding(f))
        elif f["sheet"] and not any(f["sheet"] in l for l in match[0][1]):
            problems.append(f"no link to {f['sheet']}: {fmt_finding(f)} links={match[0][1]}")
    assert len(rows) == len(r.findings), (len(rows), len(r.findings))
    assert not problems, "\n".join(problems)


def test_status_and_catatan_per_row(runs):
    # correct workbook: every node row is OK
    r = runs["correct"]
    out = openpyxl.load_workbook(r.out)
    bad = []
    for sheet in bi.LEVEL_SHEETS:
        ws = out[sheet]
        h = _headers(ws)
        id_col = next(c for k, c in h.items() if k == "id")
        for rr in range(2, ws.max_row + 1):
            if ws.cell(rr, id_col).value:
                st = ws.cell(rr, h["status"]).value
                if st != "OK":
                    bad.append(f"correct {sheet} row {rr}: Status {st!r}")
    # defective workbook: each planted row is Galat/Peringatan with a note, Galat if any Galat
    r = runs["defective"]
    out = openpyxl.load_workbook(r.out)
    for sheet, row, text in bi.DEFECTS:
        ws = out[sheet]
        h = _headers(ws)
        st = ws.cell(row, h["status"]).value
        note = ws.cell(row, h["catatan validasi"]).value
        levels = {f["tingkat"] for f in r.findings if same_row(f, sheet, row)}
        want = "Galat" if "Galat" in levels else "Peringatan"
        if st != want or not note:
            bad.append(f"defective {sheet} row {row} ({text}): Status {st!r} (want {want}), "
                       f"Catatan {note!r}")
    assert not bad, "\n".join(bad)
