"""The documentation a clone carries: every relative link in it leads to a file of the clone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# [text](target) and ![alt](target); a target ends at whitespace (an optional "title") or ")"
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def relative_links(markdown: str) -> list[str]:
    """The link targets that name a file of the repository (no scheme, no pure #anchor)."""
    targets = [m.group(1) for m in _LINK.finditer(_CODE.sub("", markdown))]
    return [t for t in targets
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", t) and not t.startswith("#")]


def test_the_link_finder_sees_links_and_skips_urls_and_anchors():
    text = ("[a](docs/a.md) ![b](img/b.png \"judul\") [c](https://x.org) [d](#str01) "
            "[e](../macros) [f](mailto:x@y.id) [g](docs/a.md#bagian) `[h](kode.md)`\n```\n[i](x.md)\n```")
    assert relative_links(text) == ["docs/a.md", "img/b.png", "../macros", "docs/a.md#bagian"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_points_into_the_repository(document: Path):
    broken = []
    for target in relative_links(document.read_text(encoding="utf-8")):
        path = (document.parent / target.split("#", 1)[0]).resolve()
        if not path.is_relative_to(REPO) or not path.exists():
            broken.append(target)
    assert not broken, f"{document.name}: {broken}"


def test_the_contract_lives_in_the_repository_and_the_readme_links_it():
    contract = REPO / "docs" / "workbook-contract.md"
    assert "source of truth" in contract.read_text(encoding="utf-8").split("\n\n", 2)[1]
    assert "](docs/workbook-contract.md)" in (REPO / "README.md").read_text(encoding="utf-8")
