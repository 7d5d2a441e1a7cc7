"""The layers, read from the modules' own source: which module of tui/ imports which.

Every import counts, at the top, inside a function or under ``TYPE_CHECKING``: an import
put off to dodge a circle is still a circle. The graph has none; core is in rooms, each
importing only the rooms its docstring names; no module reaches another's private members;
screens and widgets never reach the app (they post messages it handles); widgets never
reach screens; core and formats never import Textual or Rich.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the ``tui`` package by its dotted name (a package by its own)."""
    found = {}
    for path in sorted((root / "tui").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """What module ``name`` imports: modules of tui/, and the other top-level names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1 packages
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in known else base)
    return out


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Each module of tui/ and the modules of tui/ it imports."""
    found = modules(root)
    known = set(found)
    return {name: {m for m in imports(name, path, known) if m in known and m != name}
            for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_of_tui_has_no_circle():
    assert cycles(graph()) == []


def test_cycles_are_found_where_there_are_some():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_screens_and_widgets_never_reach_the_app():
    edges = graph()
    reaching = sorted(name for name, out in edges.items()
                      if name.startswith(("tui.screens", "tui.widgets")) and "tui.app" in out)
    assert reaching == []


def test_widgets_never_reach_screens():
    edges = graph()
    assert sorted(name for name, out in edges.items() if name.startswith("tui.widgets")
                  and any(m.startswith("tui.screens") for m in out)) == []


def test_core_and_formats_import_neither_textual_nor_rich():
    """The core, the formats and their registry (``tui/interchange.py``)."""
    found = modules()
    known = set(found)
    bad = sorted(name for name, path in found.items()
                 if name.startswith(("tui.core", "tui.formats", "tui.interchange"))
                 and any(m.split(".")[0] in ("textual", "rich")
                         for m in imports(name, path, known)))
    assert bad == []


CORE = ROOT / "tui" / "core"


def rooms() -> dict[str, set[str]]:
    """Each room of tui/core and the rooms its docstring says it may import."""
    allowed = {}
    for init in sorted(CORE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        _, found, may = doc.partition("May import:")
        assert found, f"{init}: the docstring says which rooms it may import"
        allowed[init.parent.name] = set(re.findall(r"tui\.core\.(\w+)", may))
    return allowed


def test_core_is_in_rooms_each_importing_only_the_rooms_below_it():
    assert sorted(p.name for p in CORE.glob("*.py")) == ["__init__.py"]
    allowed = rooms()
    crossing = sorted(
        (name, other) for name, out in graph().items() if name.startswith("tui.core.")
        for other in out if other.startswith("tui.core.")
        and other.split(".")[2] != name.split(".")[2]
        and other.split(".")[2] not in allowed[name.split(".")[2]])
    assert crossing == []
    assert cycles({room: below for room, below in allowed.items()}) == []


def defined_privately(tree: ast.AST) -> set[str]:
    """The private names a module defines: functions, classes, attributes it assigns (not
    those a Protocol declares: they name another module's members)."""
    names = set()
    protocols = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                 and any(ast.unparse(base) == "Protocol" for base in node.bases)]
    declared = {id(n) for p in protocols for n in ast.walk(p) if n is not p}
    for node in ast.walk(tree):
        if id(node) in declared:  # a Protocol's private member is another module's
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def test_no_module_uses_another_modules_private_members():
    """A name with one leading underscore is its module's own: no other module imports it
    or reaches it through an object (``dataset._lock``)."""
    found = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = defined_privately(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tui"):
                found += [f"{name}: {alias.name}" for alias in node.names
                          if alias.name.startswith("_") and not alias.name.startswith("__")]
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                  and not node.attr.startswith("__") and node.attr not in own
                  and ast.unparse(node) != "os._exit"  # public, documented
                  and not (isinstance(node.value, ast.Name)
                           and node.value.id in ("self", "cls", "super"))):
                found.append(f"{name}: {ast.unparse(node)}")
    assert found == []
