"""The dependency direction: the engine never depends on the bot, the bot never runs torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT


def imported_modules(package: str) -> set[str]:
    found: set[str] = set()
    for path in Path(PROJECT_ROOT, package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_engine_imports_neither_telegram_nor_bot() -> None:
    assert not {"telegram", "bot"} & imported_modules("engine")


def test_shared_layer_imports_neither_side() -> None:
    assert not {"telegram", "bot", "engine", "torch"} & imported_modules("stylebot")


def test_the_bot_process_does_not_load_torch() -> None:
    code = "import sys, bot.__main__, bot.app; assert 'torch' not in sys.modules, 'torch was imported'"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_no_settings_read_behind_the_settings_object() -> None:
    for package in ("bot", "engine", "stylebot"):
        for path in Path(PROJECT_ROOT, package).rglob("*.py"):
            text = path.read_text()
            assert "os.getenv" not in text and "os.environ" not in text, path
