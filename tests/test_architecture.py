"""The import graph of src/cckg: imports point down the layers and never form a cycle.

Layers, top to bottom (docs/architecture.md): cli > server > ingest > pipeline > store >
sources > rdf, with cckg's own root modules (errors, paths, the version) beneath them all.
A module may import its own layer and those below; every import counts, also one inside
a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LAYERS = ("cli", "server", "ingest", "pipeline", "store", "sources", "rdf")
#: Rank of each layer: a module may import modules of its own rank or lower.
RANK = {name: len(LAYERS) - i for i, name in enumerate(LAYERS)}
ROOT_RANK = 0


def module_name(path: Path, src: Path) -> str:
    """`src/cckg/store/base.py` -> `cckg.store.base`; a package's __init__ is the package."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(src: Path) -> dict[str, Path]:
    """Every module of the cckg package under `src`, by dotted name."""
    return {module_name(p, src): p for p in sorted((src / "cckg").rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The cckg modules `path` imports (a name imported from a package is its module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return {m for m in found if m == "cckg" or m.startswith("cckg.")} & known


def rank(module: str) -> int:
    """The layer rank of a module (cckg's root modules rank below every layer)."""
    parts = module.split(".")
    return RANK[parts[1]] if len(parts) > 1 and parts[1] in RANK else ROOT_RANK


def import_graph(src: Path) -> dict[str, set[str]]:
    """Module -> the cckg modules it imports."""
    found = modules(src)
    return {name: imports(name, path, set(found)) - {name} for name, path in found.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a layer above its own, as 'importer -> imported'."""
    return sorted(
        f"{importer} -> {imported}"
        for importer, targets in graph.items()
        for imported in targets
        if rank(imported) > rank(importer)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(SRC)


def test_every_module_is_in_a_layer(graph: dict[str, set[str]]) -> None:
    roots = {"cckg", "cckg.errors", "cckg.paths"}
    outside = sorted(m for m in graph if rank(m) == ROOT_RANK and m not in roots)
    assert outside == [], "put each module in one of the layer folders"


def test_no_import_points_up_the_layers(graph: dict[str, set[str]]) -> None:
    assert upward_imports(graph) == []


def test_the_pipeline_never_imports_the_server(graph: dict[str, set[str]]) -> None:
    pipeline = {m: t for m, t in graph.items() if m.startswith("cckg.pipeline")}
    assert pipeline, "the pipeline's modules were found"
    assert not [t for targets in pipeline.values() for t in targets
                if t.startswith(("cckg.server", "cckg.cli"))]


def test_the_import_graph_has_no_cycle(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_the_checks_see_imports_inside_functions(graph: dict[str, set[str]]) -> None:
    # cckg.cli.serve imports the build inside a function (the CLI starts fast).
    assert "cckg.pipeline.build" in graph["cckg.cli.serve"]


def write(src: Path, module: str, text: str) -> None:
    path = src.joinpath(*module.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in [path.parent, *path.parent.parents]:
        if parent == src:
            break
        (parent / "__init__.py").touch()
    path.write_text(text, encoding="utf-8")


def test_an_upward_import_and_a_cycle_are_caught(tmp_path: Path) -> None:
    """Negative test: a package that breaks both rules fails both checks."""
    write(tmp_path, "cckg.server.app", "from cckg.pipeline import publish\n")
    write(tmp_path, "cckg.pipeline.publish", "def f():\n    from cckg.server.app import x\n")
    write(tmp_path, "cckg.store.base", "from . import embedded\n")
    write(tmp_path, "cckg.store.embedded", "import cckg.store.base\n")
    graph = import_graph(tmp_path)
    assert upward_imports(graph) == ["cckg.pipeline.publish -> cckg.server.app"]
    assert cycles(graph) == [
        ["cckg.pipeline.publish", "cckg.server.app"], ["cckg.store.base", "cckg.store.embedded"]
    ]
