"""The dependency direction and the code's shape, written as tests: the engine never depends on the
bot, the bot never runs torch, no module imports itself back, the bot's floors point down, one path
submits a request, the shared layer speaks in codes."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.texts.catalogue import CATALOGUES
from testkit.botprocess import PROJECT_ROOT

PACKAGES = ("bot", "engine", "stylebot")
# The bot's floors, lowest first: a module imports from its own floor or those below, never above.
BOT_FLOORS: tuple[tuple[str, ...], ...] = (
    ("bot.gallery",),  # the pictures of the styles on offer
    ("bot.texts",),  # words, in each language
    ("bot.keyboards", "bot.replies", "bot.pictures", "bot.handling", "bot.metrics"),  # no state
    ("bot.access", "bot.drafts", "bot.services", "bot.context", "bot.presses"),  # what a handler is given
    ("bot.asking", "bot.submission", "bot.steps", "bot.typed_answers"),  # what the conversation does
    ("bot.handlers", "bot.runtime"),  # the callbacks, and the process around them: neither uses the other
    ("bot.app", "bot.__main__"),  # the wiring
)
BESIDE = ("bot.handlers", "bot.runtime")


def modules(package: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(Path(PROJECT_ROOT, package).rglob("*.py")):
        yield path, ast.parse(path.read_text(), str(path))


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of `package` -> the modules of `package` it imports (anywhere in it: under
    TYPE_CHECKING and inside functions too). `from a import b` is an import of a.b when a.b is a module."""
    trees = {module_name(path): tree for path, tree in modules(package)}
    graph: dict[str, set[str]] = {name: set() for name in trees}
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                graph[name] |= {alias.name for alias in node.names if alias.name in trees}
            elif isinstance(node, ast.ImportFrom) and node.module in trees and node.level == 0:
                for alias in node.names:
                    graph[name].add(
                        f"{node.module}.{alias.name}"
                        if f"{node.module}.{alias.name}" in trees
                        else node.module
                    )
    return graph


def floor(module: str) -> int:
    for number, names in enumerate(BOT_FLOORS):
        if any(module == name or module.startswith(f"{name}.") for name in names):
            return number
    raise AssertionError(f"{module} is on no floor of BOT_FLOORS: add it")


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


def circle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A chain of imports from `start` back to it, if there is one."""
    trails, seen = [[start]], {start}
    while trails:
        trail = trails.pop()
        for imported in sorted(graph[trail[-1]]):
            if imported == start:
                return [*trail, start]
            if imported not in seen:
                seen.add(imported)
                trails.append([*trail, imported])
    return None


def test_no_module_imports_itself_back() -> None:
    """No circle of imports, however long (bot.services and bot.access.profiles once made one)."""
    for package in PACKAGES:
        graph = import_graph(package)
        for module in graph:
            circle = circle_through(graph, module)
            assert circle is None, f"import circle: {' -> '.join(circle)}"


def test_the_bots_floors_point_down() -> None:
    """A module of bot/ imports from its own floor or below (BOT_FLOORS); handlers and runtime, side
    by side, not from each other."""
    for module, imported in import_graph("bot").items():
        for other in imported:
            assert floor(other) <= floor(module), f"{module} imports {other}, a floor above it"
            sides = {side for side in BESIDE if module.startswith(side) or other.startswith(side)}
            assert len(sides) < 2, f"{module} imports {other}: handlers and runtime stand side by side"


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
    assert callers("enqueue") == {"stylebot/submissions.py"}
    assert callers("queue_request") == {"bot/submission.py"}
    assert callers("submit") == {"bot/steps.py", "bot/handlers/results.py"}


def test_the_shared_layer_speaks_in_codes_not_in_the_bots_texts() -> None:
    """No string in stylebot/ is a key of the bot's catalogues: it returns outcomes, the bot words."""
    keys = set(CATALOGUES["en"])
    for path, tree in modules("stylebot"):
        if "migrations" in path.parts:  # they name tables and columns ("note"), not outcomes
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value not in keys, f"{path}:{node.lineno}: {node.value!r}"
