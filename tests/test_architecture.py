"""The dependency direction and the code's shape, written as tests: the engine never depends on the
bot, the bot never runs torch, one path submits a request, the shared layer speaks in codes."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.texts.catalogue import CATALOGUES
from testkit.botprocess import PROJECT_ROOT

PACKAGES = ("bot", "engine", "stylebot")


def modules(package: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(Path(PROJECT_ROOT, package).rglob("*.py")):
        yield path, ast.parse(path.read_text(), str(path))


def imported_modules(package: str) -> set[str]:
    found: set[str] = set()
    for _, tree in modules(package):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def callers(name: str) -> set[str]:
    """The modules (relative paths) that call a function named `name`, however it is reached."""
    found = set()
    for package in PACKAGES:
        for path, tree in modules(package):
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    called = node.func
                    called_name = (
                        called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
                    )
                    if called_name == name:
                        found.add(str(path.relative_to(PROJECT_ROOT)))
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
    """Only stylebot/settings.py reads the environment (pydantic-settings does it there)."""
    for package in PACKAGES:
        for path, tree in modules(package):
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Attribute):
                    names.append(node.attr)
                elif isinstance(node, ast.Name):
                    names.append(node.id)
                elif isinstance(node, ast.ImportFrom) and node.module == "os":
                    names.extend(alias.name for alias in node.names)
                assert not {"environ", "getenv", "environb", "getenvb"} & set(names), f"{path}:{node.lineno}"


def test_one_path_submits_a_request() -> None:
    """Requests are created in one place, and the bot queues them through one function."""
    assert callers("create_request") == {"stylebot/submissions.py"}
    assert callers("queue_request") == {"bot/submission.py"}
    assert callers("submit") == {"bot/drafts.py", "bot/handlers/results.py"}


def test_the_shared_layer_speaks_in_codes_not_in_the_bots_texts() -> None:
    """No string in stylebot/ is a key of the bot's catalogues: it returns outcomes, the bot words."""
    keys = set(CATALOGUES["en"])
    for path, tree in modules("stylebot"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value not in keys, f"{path}:{node.lineno}: {node.value!r}"
