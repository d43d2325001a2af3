"""The shape of the import graph of `assistant/`, read from the source with `ast` (nothing imported).

- the router's modules import each other without a cycle;
- a stage (ingest, retrieval, router, sql, pipeline) never imports a command-line module at module
  level: commands depend on stages, never the other way round;
- `assistant/` never imports textual (the TUI lives in `tui/`).

"Module level" means statements run on import: the module body, including `if`/`try`/`with`
blocks and class bodies, but not function bodies and not `if TYPE_CHECKING:` blocks.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

import pytest

from assistant.config import REPO_ROOT

PACKAGE = REPO_ROOT / "assistant"

#: Where a stage lives: the packages and the single module of the pipeline.
STAGE_PACKAGES = ("assistant.ingest", "assistant.retrieval", "assistant.router", "assistant.sql")
STAGE_MODULES = ("assistant.pipeline",)
#: Top-level packages that are front ends (commands, evaluation, the TUI).
FRONT_END_PACKAGES = ("eval", "tui")
#: Last name parts of a command-line or benchmark module (`assistant.router.cli`, `assistant.ingest.bench`).
CLI_NAMES = ("cli", "bench")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements run when the module is imported (function bodies and TYPE_CHECKING left out)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level_imports(block)
        elif isinstance(node, (ast.With, ast.AsyncWith, ast.ClassDef)):
            yield from _module_level_imports(node.body)
        elif isinstance(node, (ast.For, ast.While)):
            yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules an import statement loads: `from x import y` is x.y when that is a module, else x."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if node.level:
        base = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    return {f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source for a in node.names}


def _graph() -> dict[str, set[str]]:
    """Every assistant module -> every module it imports at module level (any package)."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = {t for node in _module_level_imports(tree.body) for t in _targets(module, node)}
    return graph


GRAPH = _graph()


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_cli(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return module == "assistant.cli" or last in CLI_NAMES or last.endswith(tuple(f"_{n}" for n in CLI_NAMES)) \
        or any(_in(module, p) for p in FRONT_END_PACKAGES)


def _cycles(nodes: set[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path of modules, first = last) per strongly connected group of `nodes`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, set()) & nodes):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph.get(v, set()):
                groups.append(sorted(group))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return [_path_through(group, graph) for group in groups]


def _path_through(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A concrete cycle inside a strongly connected group, for the failure message."""
    start = group[0]
    members = set(group)
    seen = {start: [start]}
    frontier = [start]
    while frontier:
        v = frontier.pop(0)
        for w in sorted(graph.get(v, set()) & members):
            if w == start:
                return seen[v] + [start]
            if w not in seen:
                seen[w] = seen[v] + [w]
                frontier.append(w)
    return group


# ----------------------------------------------------------------------------- the graph itself

def test_the_graph_is_read_from_the_source() -> None:
    assert "assistant.router.plan" in GRAPH and "assistant.router.understand" in GRAPH["assistant.router.plan"]
    # a function-level import is not a module-level edge (data imports extract only inside a method)
    assert "assistant.router.extract" not in GRAPH["assistant.router.data"]
    # a TYPE_CHECKING import is not an edge either (context names QueryPlan only for type hints)
    assert "assistant.router.plan" not in GRAPH["assistant.router.context"]
    # `from assistant.router import compose` is an edge to the module compose
    assert "assistant.router.compose" in GRAPH["assistant.router.answer_plan"]


def test_cycle_finder_finds_a_cycle() -> None:
    toy = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(set(toy), toy) == [["a", "b", "c", "a"]]
    assert _cycles({"a", "b"}, {"a": {"b"}, "b": set()}) == []


# ----------------------------------------------------------------------------- the rules

def test_no_import_cycle_among_router_modules() -> None:
    router = {m for m in GRAPH if _in(m, "assistant.router")}
    assert len(router) > 10
    cycles = _cycles(router, GRAPH)
    assert not cycles, "import cycles in assistant/router: " + "; ".join(" -> ".join(c) for c in cycles)


def _stage_modules() -> list[str]:
    return sorted(m for m in GRAPH if (any(_in(m, p) for p in STAGE_PACKAGES) or m in STAGE_MODULES)
                  and not _is_cli(m))


@pytest.mark.parametrize("module", _stage_modules())
def test_a_stage_never_imports_a_command_line_module(module: str) -> None:
    # command-line and benchmark modules themselves may import each other; stages may not import them
    bad = sorted(t for t in GRAPH[module] if _is_cli(t))
    assert not bad, f"{module} imports {', '.join(bad)} at module level"


def test_cli_module_names_are_recognised() -> None:
    for name in ("assistant.cli", "assistant.router.cli", "assistant.ingest.bench", "assistant.retrieval.model_cli",
                 "assistant.ingest.pdf_bench", "eval.gold", "tui.app"):
        assert _is_cli(name), name
    for name in ("assistant.router.plan", "assistant.client", "assistant.sql.connect", "assistant.benchmarks_data"):
        assert not _is_cli(name), name


def test_assistant_never_imports_textual() -> None:
    offenders = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):  # anywhere in the file, function bodies included
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{module}:{node.lineno} imports {n}" for n in names if n.split(".")[0] == "textual"]
    assert not offenders, "; ".join(offenders)
