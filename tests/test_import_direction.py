"""Data flows one way: every import in ``src/pantau`` (read with ``ast``, lazy and type-only
imports included, since an arrow is an arrow) points to the same layer or below, and no
packages or modules import each other in a cycle.

The layer order is written down once, in :data:`LAYERS`; a new package must be placed in it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Bottom to top. A package may import its own layer and those below; the cycle checks keep
#: imports within a layer one way. Each stage's position follows the journey of the data, with
#: the pure stages (store, text, issues, writing) importing nothing above them and the wiring
#: (flow, web, cli) on top. ``(root)`` is ``pantau/__init__.py``.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "(root)",
        "settings",
        "records",
        "i18n",
        "secret_key",
        "data",
        "locale",
        "vocabulary",
        "plugins",
    ),
    ("store", "net"),
    ("text", "issues", "writing", "privacy"),
    ("ingest",),
    ("workflow",),
    ("alerts",),
    ("reports", "newsroom"),
    ("flow", "scale"),  # running the stages: in-process, or on a Dask cluster
    ("web",),
    ("cli",),
)

#: Violations tolerated for now, each with its reason: none. An entry that no longer occurs fails
#: the test, so a fixed violation cannot come back unnoticed.
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_PACKAGE_CYCLES: set[frozenset[str]] = set()
KNOWN_MODULE_CYCLES: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "pantau").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        out[".".join(parts).removesuffix(".__init__")] = path
    return out


MODULES = _modules()


def _targets(module: str, path: Path) -> Iterable[tuple[str, int]]:
    """The pantau modules ``module`` imports, with the line of each import."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from pantau.store import models` imports a module, `import Database` a name
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name, node.lineno


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(root)"


def _layer(package: str) -> int:
    for level, names in enumerate(LAYERS):
        if package in names:
            return level
    raise AssertionError(f"package {package!r} is not placed in LAYERS: add it to its layer")


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for target, _line in _targets(module, path):
            graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one node (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    nodes = sorted(set(graph) | {t for ts in graph.values() for t in ts})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_every_package_is_placed_in_a_layer() -> None:
    for package in {_package(m) for m in MODULES}:
        _layer(package)


def test_no_upward_import() -> None:
    upward = {}
    for module, path in MODULES.items():
        for target, line in _targets(module, path):
            if _layer(_package(target)) > _layer(_package(module)):
                upward.setdefault((module, target), f"{path.relative_to(SRC)}:{line}")
    new = {pair: where for pair, where in upward.items() if pair not in KNOWN_UPWARD}
    assert not new, f"imports that run up the layers (see LAYERS): {new}"
    assert upward.keys() >= KNOWN_UPWARD, (
        f"fixed, remove from KNOWN_UPWARD: {KNOWN_UPWARD - upward.keys()}"
    )


def test_no_cycle_between_packages() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in _graph().items():
        for target in targets:
            if _package(target) != _package(module):
                packages[_package(module)].add(_package(target))
    cycles = set(_cycles(packages))
    assert not cycles - KNOWN_PACKAGE_CYCLES, f"packages in a cycle: {cycles}"
    assert cycles >= KNOWN_PACKAGE_CYCLES, (
        f"fixed, remove from KNOWN_PACKAGE_CYCLES: {KNOWN_PACKAGE_CYCLES - cycles}"
    )


def test_no_cycle_between_modules() -> None:
    cycles = set(_cycles(_graph()))
    assert not cycles - KNOWN_MODULE_CYCLES, f"modules in a cycle: {cycles}"
    assert cycles >= KNOWN_MODULE_CYCLES, (
        f"fixed, remove from KNOWN_MODULE_CYCLES: {KNOWN_MODULE_CYCLES - cycles}"
    )


def test_the_checks_find_a_cycle_and_resolve_imports() -> None:
    """The machinery itself (the known violations above show it finds real ones too)."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]
    path = MODULES["pantau.flow.pipeline"]
    imports = {target for target, _line in _targets("pantau.flow.pipeline", path)}
    assert {"pantau.issues", "pantau.store.models", "pantau.text"} <= imports
