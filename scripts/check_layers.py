"""Check taiyaku's layering: no module imports a higher layer, no SQL outside the store.

Usage: python scripts/check_layers.py [SRC_DIR]   (default: src/taiyaku)

The layers, lowest first (docs: README "Layout"); a module may import its own layer or
lower ones, never a higher one:

1. ``models``, ``errors``
2. ``text/``: pure functions over strings
3. ``formats/``: file readers and writers, no database
4. ``store/``: the only code that knows SQL and the schema
5. the algorithms (``align/``, ``match/``, ``glossary/``, and any new feature package)
   and ``project`` (the entry point that ties them together)
6. ``cli/``, ``demo``, ``server/`` and the package's ``__init__`` (its public face)

Every import counts, also one inside a function (a lazy import that gets round a cycle is
still an upward dependency) and one under ``TYPE_CHECKING``. ``from taiyaku import
__version__`` is allowed anywhere: it is set before the package imports anything.

A SQL statement is a string literal (not a docstring) that starts with an upper-case SQL
keyword shaped like a statement (``SELECT … FROM``, ``INSERT INTO``, ``UPDATE … SET``,
``DELETE FROM``, ``CREATE``/``DROP``/``ALTER`` ``TABLE``/``INDEX``/``TRIGGER``, ``PRAGMA``,
``BEGIN``/``COMMIT``/``ROLLBACK``). Outside ``store/`` there must be none.

Exit status 1 and one line per finding (``path:line: what``) when anything is wrong.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

LAYERS = {
    "models": 1,
    "errors": 1,
    "lazy": 1,
    "text": 2,
    "formats": 3,
    "store": 4,
    "align": 5,
    "match": 5,
    "glossary": 5,
    "project": 5,
    "cli": 6,
    "demo": 6,
    "server": 6,
    "__init__": 6,
    "__main__": 6,
}
FEATURE_LAYER = 5  # a new package not named above is a feature package
SQL = re.compile(
    r"^\s*(?:SELECT\b[\s\S]*\bFROM\b|SELECT\s+(?:max|min|count|1)\b|INSERT\s+(?:OR\s+\w+\s+)?INTO\b"
    r"|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|(?:CREATE|DROP|ALTER)\s+(?:UNIQUE\s+)?"
    r"(?:TABLE|INDEX|TRIGGER|VIEW)\b|PRAGMA\b|BEGIN\b|COMMIT\b|ROLLBACK\b|WITH\s+\w+\s+AS\b)"
)


def layer_of(module: str) -> int:
    """The layer of ``taiyaku.x.y`` (its first component after ``taiyaku``)."""
    parts = module.split(".")
    if parts[0] != "taiyaku":
        return 0
    if len(parts) == 1:
        return LAYERS["__init__"]
    return LAYERS.get(parts[1], FEATURE_LAYER)


def module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imported(node: ast.AST, module: str, is_package: bool) -> list[tuple[str, int]]:
    """The taiyaku modules an import statement brings in, with their line."""
    found: list[tuple[str, int]] = []
    if isinstance(node, ast.Import):
        found += [(alias.name, node.lineno) for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if not is_package:
                package = package[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        if base == "taiyaku":
            names = [a.name for a in node.names if a.name != "__version__"]
            found += [(f"taiyaku.{name}", node.lineno) for name in names]
        else:
            found.append((base, node.lineno))
    return [(name, line) for name, line in found if name.split(".")[0] == "taiyaku"]


def docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def check(root: Path) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        own = layer_of(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            for target, line in imported(node, module, path.name == "__init__.py"):
                if layer_of(target) > own:
                    problems.append(
                        f"{path}:{line}: {module} (layer {own}) imports {target} "
                        f"(layer {layer_of(target)})"
                    )
        if module.split(".")[1:2] == ["store"]:
            continue
        skip = docstring_nodes(tree)
        for node in ast.walk(tree):
            texts: list[str] = []
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in skip:
                    texts = [node.value]
            for text in texts:
                if SQL.match(text):
                    first = text.strip().splitlines()[0][:60]
                    problems.append(f"{path}:{node.lineno}: SQL outside store/: {first!r}")
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "src/taiyaku")
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} layering problem(s) in {root}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
