"""Regenerate the golden files of the derived sheets: ``python tests/derive/regen_golden.py``.

Review the diff before committing: every changed line is a change users will see.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.derive.golden import EXAMPLES, GOLDEN, example_path, golden_texts  # noqa: E402


def main() -> None:
    for name in EXAMPLES:
        if not example_path(name).exists():
            print(f"lewati {name}: {example_path(name)} tidak ada")
            continue
        folder = GOLDEN / name
        folder.mkdir(parents=True, exist_ok=True)
        texts = golden_texts(name)
        for stale in folder.glob("*.txt"):
            if stale.name not in texts:
                stale.unlink()
        for file_name, text in texts.items():
            (folder / file_name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(texts)} berkas di {folder}")


if __name__ == "__main__":
    main()
