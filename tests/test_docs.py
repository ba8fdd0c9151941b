"""The documents a newcomer reads say what the code has: every setting, and links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

from stylebot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table_and_in_env_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = [name.upper() for name in Settings.model_fields]
    missing_readme = [n for n in names if f"| `{n}` |" not in README]
    missing_example = [n for n in names if not re.search(rf"^#?\s*{n}=", example, re.M)]
    assert missing_readme == [], f"settings missing from README's table: {missing_readme}"
    assert missing_example == [], f"settings missing from .env.example: {missing_example}"


def test_the_readme_names_no_setting_the_code_does_not_have() -> None:
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", README, re.M))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_relative_links_in_the_docs_lead_to_files() -> None:
    broken = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_the_readme_stays_a_readme() -> None:
    """What a newcomer needs; the operator's manual, the engine and the lab notebook live in docs/."""
    assert len(README.splitlines()) <= 300
    for command in ("make run", "make test"):
        assert command in README
