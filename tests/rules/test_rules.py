"""Every rule's cases (cases/<GROUP>.yml) run by one parametrized test, plus the catalogue's
own checks: every rule has passing and failing cases, codes are well formed, every rule is
documented, and docs/aturan.md is up to date."""

from __future__ import annotations

import re

from pohon_xl.core.validate import validate
from pohon_xl.model.parse import parse_workbook
from pohon_xl.rules.base import GROUPS, all_rules
from pohon_xl.rules.catalog import DOC_PATH, render_catalog

FIELDS = ("code", "sheet", "row")


def _run(raw, nomenclature=None):
    report, _ = validate(parse_workbook(raw, "uji.xlsx"), nomenclature=nomenclature)
    return report


def test_rule_case(rule_case, build_workbook):
    report = _run(build_workbook(rule_case), rule_case.get("nomenclature"))
    expected = [tuple(e) for e in rule_case.get("expect") or []]
    codes = {e[0] for e in expected} | set(rule_case.get("absent") or [])
    assert codes, "a case names at least one code in expect or absent"
    with_severity = any(len(e) == 4 for e in expected)
    fields = FIELDS + (("severity",) if with_severity else ())
    assert all(len(e) == len(fields) for e in expected), "all or no entries give a severity"
    actual = sorted(f for f in report.flatten(fields) if f[0] in codes)
    wanted = sorted(expected)
    assert actual == wanted, "\n".join(str(f.to_dict()) for f in report.findings)


def test_base_plan_is_clean(build_workbook):
    report = _run(build_workbook())
    assert [f.to_dict() for f in report.findings] == []


def test_every_rule_has_failing_and_passing_cases(all_cases):
    failing, passing = set(), set()
    for _, case in all_cases:
        failing |= {e[0] for e in case.get("expect") or []}
        passing |= set(case.get("absent") or [])
    codes = {rule.code for rule in all_rules()}
    missing = sorted(
        f"{code}: {'gagal' if code not in failing else ''} {'lulus' if code not in passing else ''}"
        for code in codes
        if code not in failing or code not in passing
    )
    assert not missing, "aturan tanpa kasus uji (cases/<GRUP>.yml): " + "; ".join(missing)
    unknown = sorted((failing | passing) - codes)
    assert not unknown, f"kasus menyebut kode yang tidak terdaftar: {unknown}"


def test_case_files_match_groups(all_cases):
    for case_id, case in all_cases:
        group = case_id.split(":")[0]
        assert group in GROUPS, case_id
        named = [e[0] for e in case.get("expect") or []] + list(case.get("absent") or [])
        assert any(code.startswith(group) for code in named), case_id


def test_codes_are_unique_and_well_formed():
    rules = all_rules()
    codes = [rule.code for rule in rules]
    assert len(codes) == len(set(codes))
    for rule in rules:
        assert re.fullmatch(r"[A-Z]{3}\d{2}", rule.code), rule.code
        assert rule.group in GROUPS, rule.code
    for prefix in GROUPS:
        numbers = sorted(int(c[3:]) for c in codes if c.startswith(prefix))
        assert numbers == list(range(1, len(numbers) + 1)), f"{prefix}: {numbers}"


def test_every_rule_is_documented():
    for rule in all_rules():
        doc = type(rule).__doc__ or ""
        assert rule.name and rule.message and rule.suggestion, rule.code
        assert "Salah" in doc and "Benar" in doc, f"{rule.code}: docstring tanpa contoh Salah/Benar"
        assert type(rule).__module__.startswith("pohon_xl.rules."), rule.code


def test_catalogue_is_up_to_date():
    current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
    assert current == render_catalog(), (
        "docs/aturan.md usang; jalankan: python -m pohon_xl.rules.catalog"
    )


def test_catalogue_lists_every_rule():
    text = render_catalog()
    for rule in all_rules():
        assert f"### {rule.code} — {rule.name}" in text


def test_catalogue_does_not_need_the_batch_adapter():
    """The core lists the BAT codes from data; rendering it never imports ``pohon_xl.batch``."""
    import subprocess
    import sys

    code = (
        "import sys; from pohon_xl.rules.catalog import render_catalog; text = render_catalog(); "
        "assert '### BAT01' in text, 'BAT hilang'; "
        "print(sorted(m for m in sys.modules if m.startswith('pohon_xl.batch')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
