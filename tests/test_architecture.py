"""The package reads as its stages: no import cycles, and no stage imports a later one.

Every `import` is counted, also those inside functions (a lazy import is still a dependency)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "extractor"

# lower rank = earlier stage; a module may import its own rank or lower ones
LAYERS = [
    ("extractor.model", "extractor.errors", "extractor.settings", "extractor.rules", "extractor.fileid",
     "extractor.strings"),
    ("extractor.ingest",),
    ("extractor.fields",),
    ("extractor.tables",),
    ("extractor.text",),
    ("extractor.pipeline",),
    ("extractor.versions",),
    ("extractor.output",),
    ("extractor.run",),
    ("extractor.api", "extractor.inspect"),
    ("extractor.cli", "extractor.terminal", "extractor.__main__"),
]
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def rank(module: str) -> int:
    for k, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return k
    raise AssertionError(f"{module} belongs to no stage: add it to LAYERS in {__file__}")


def imports_of(path: Path, name: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("extractor."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("extractor"):
                continue
            for a in node.names:  # `from extractor.x import y` may name a submodule y
                candidate = f"{mod}.{a.name}"
                out.add(candidate if candidate in MODULES else mod)
    out.discard("extractor")  # the package itself (its __version__); importing it is free
    return {m for m in out if m != name}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path, name) for name, path in MODULES.items()}


def test_every_module_belongs_to_a_stage():
    for name in MODULES:
        if name != "extractor":
            rank(name)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "extractor"))
def test_no_module_imports_a_later_stage(name):
    later = sorted(m for m in GRAPH[name] if m in MODULES and m != "extractor" and rank(m) > rank(name))
    assert not later, f"{name} (stage {rank(name)}) imports later stage(s): {later}"


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in MODULES:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_readable(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by responsibility"


def test_only_ingest_imports_the_format_libraries():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        libs = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        libs |= {(n.module or "").split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and not n.level}
        if libs & {"pdfplumber", "pdfminer", "docx"}:
            assert name.startswith("extractor.ingest."), f"{name} imports a format library"
