"""The rule catalogue, generated from the rule classes (never edited by hand): Markdown for
``docs/aturan.md`` and plain text for ``pohon-xl aturan``.

``python -m pohon_xl.rules.catalog`` writes ``docs/aturan.md``; ``--check`` only reports
whether the file is up to date (exit status 1 when stale).
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from pohon_xl.findings import FindingType
from pohon_xl.rules.base import GROUPS, Rule, all_rules

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "aturan.md"
HEADER = (
    "<!-- Dibuat otomatis dari pohon_xl/rules/*.py; jangan diedit manual. "
    "Perbarui dengan: python -m pohon_xl.rules.catalog -->"
)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


# Findings declared as data outside the rule registry: derivation (Turunkan) and batch checks.
EXTRA_GROUPS = {"TUR": "Turunan dokumen (Turunkan)", "BAT": "Batch (lintas workbook)"}


def _declared() -> list[FindingType]:
    from pohon_xl.core.derive.findings import CATALOGUE as DERIVATION
    from pohon_xl.findings_batch import CATALOGUE as BATCH

    return sorted([*DERIVATION, *BATCH], key=lambda t: t.code)


def _entries() -> list[Rule | FindingType]:
    order = list(GROUPS) + list(EXTRA_GROUPS)
    rules: list[Rule | FindingType] = [*all_rules(), *_declared()]
    return sorted(rules, key=lambda r: (order.index(r.code[:3]), r.code))


def _groups() -> dict[str, str]:
    return {**GROUPS, **EXTRA_GROUPS}


def _rule_section(rule: Rule | FindingType) -> list[str]:
    doc = inspect.cleandoc(type(rule).__doc__ or "") if isinstance(rule, Rule) else ""
    return [
        f'<a id="{rule.code.lower()}"></a>',
        "",
        f"### {rule.code} — {rule.name}",
        "",
        "| | |",
        "|---|---|",
        f"| Kode | `{rule.code}` |",
        f"| Tingkat | {rule.severity.value} |",
        f"| Pesan | {_cell(rule.message)} |",
        f"| Saran | {_cell(rule.suggestion)} |",
        "",
        doc,
        "",
    ]


def render_catalog() -> str:
    """Every registered rule, grouped, with code, severity, name, message, suggestion, doc."""
    rules = _entries()
    lines = [
        HEADER,
        "",
        "# Katalog aturan validasi",
        "",
        "Setiap temuan di sheet `Laporan_Validasi` membawa salah satu kode di bawah. Tingkat: "
        "**Galat** (pohon salah atau dokumen turunan tidak dapat dibuat untuk node itu), "
        "**Peringatan** (kemungkinan keliru atau praktik lemah), **Info** (untuk perhatian). "
        "Beberapa aturan menurunkan tingkatnya dalam keadaan tertentu (dijelaskan pada aturan "
        "itu), mis. workbook OPD yang induk L2-nya berada di workbook tingkat Pemda.",
        "",
        "Teks pesan memuat isian dalam kurung kurawal (`{id}`, `{value}` …) yang diganti "
        "dengan nilai dari workbook.",
        "",
        "| Kode | Tingkat | Nama |",
        "|---|---|---|",
    ]
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.name} |" for r in rules]
    lines.append("")
    for prefix, title in _groups().items():
        members = [r for r in rules if r.code[:3] == prefix]
        if not members:
            continue
        lines += [f"## {prefix} — {title}", ""]
        for rule in members:
            lines += _rule_section(rule)
    return "\n".join(lines).rstrip() + "\n"


def render_text() -> str:
    """The catalogue for a terminal: one block per rule, grouped, without the docstrings."""
    rules = _entries()
    lines: list[str] = []
    for prefix, title in _groups().items():
        members = [r for r in rules if r.code[:3] == prefix]
        if not members:
            continue
        lines += [f"{prefix} — {title}", ""]
        for rule in members:
            lines.append(f"  {rule.code}  {rule.severity.value:<10}  {rule.name}")
            lines.append(f"         Pesan: {' '.join(rule.message.split())}")
            lines.append(f"         Saran: {' '.join(rule.suggestion.split())}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render_catalog()
    if "--check" in args:
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
        if current != text:
            print(f"{DOC_PATH} usang; jalankan: python -m pohon_xl.rules.catalog", file=sys.stderr)
            return 1
        return 0
    DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOC_PATH.write_text(text, encoding="utf-8")
    print(f"Ditulis: {DOC_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
