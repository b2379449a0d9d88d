"""Every link and picture of the README and of docs/ points at a file that is in the repository."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+)\)")
DOCUMENTS = [ROOT / "README.md", ROOT / "BENCHMARKS.md", *sorted((ROOT / "docs").glob("*.md"))]


def local_targets(document: Path) -> list[str]:
    return [t for t in LINK.findall(document.read_text(encoding="utf-8"))
            if not t.startswith(("http://", "https://", "mailto:", "#"))]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_link_of_the_document_resolves(document):
    missing = [t for t in local_targets(document) if not (document.parent / t.split("#")[0]).exists()]
    assert missing == [], f"{document.name} links to files that do not exist: {missing}"
