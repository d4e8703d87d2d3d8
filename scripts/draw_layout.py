"""Draw the package layout and its imports as a Mermaid diagram in docs/DEVELOPING.md.

The picture is read from the code's own ``import`` statements (AST), at package level: an arrow
A --> B means some module of A imports from B. Run it after moving code:

    .venv/bin/python scripts/draw_layout.py          # rewrite the diagram in docs/DEVELOPING.md
    .venv/bin/python scripts/draw_layout.py --check  # exit 1 when the diagram is out of date
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "DEVELOPING.md"
BEGIN, END = "<!-- layout:begin -->", "<!-- layout:end -->"


def room_of(rel: Path) -> str:
    """The room a source file belongs to: a core package, a shared core module, or an outer layer."""
    parts = rel.with_suffix("").parts
    if parts[0] == "processing":
        return "processing"
    if parts[:2] == ("grid_plugin", "core"):
        if len(parts) >= 4:
            return f"core/{parts[2]}"
        return "core (shared)" if parts[2] != "__init__" else "core (shared)"
    if parts[:2] == ("grid_plugin", "gui"):
        return "gui"
    if parts[:2] == ("grid_plugin", "export"):
        return "export"
    return "plugin"


def resolve(rel: Path, node: ast.ImportFrom) -> Path | None:
    """The file a relative ``from … import`` points at (package-relative imports only)."""
    if not node.level:
        return None
    base = (ROOT / rel).parent
    for _ in range(node.level - 1):
        base = base.parent
    target = base.joinpath(*node.module.split(".")) if node.module else base
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.exists():
            return candidate.relative_to(ROOT)
    if node.module is None:
        return None
    return None


def edges() -> set[tuple[str, str]]:
    found = set()
    for folder in ("grid_plugin", "processing"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT)
            src = room_of(rel)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom):
                    targets = []
                    if node.module is None:  # from . import a, b
                        base = (ROOT / rel).parent
                        for _ in range(node.level - 1):
                            base = base.parent
                        for alias in node.names:
                            cand = base / f"{alias.name}.py"
                            targets.append(cand.relative_to(ROOT) if cand.exists() else None)
                    else:
                        targets.append(resolve(rel, node))
                    for target in targets:
                        if target is not None:
                            dst = room_of(target)
                            if dst != src:
                                found.add((src, dst))
    return found


def mermaid() -> str:
    lines = ["```mermaid", "flowchart LR"]
    names = sorted({n for e in edges() for n in e})
    ids = {name: "n" + "".join(c if c.isalnum() else "_" for c in name) for name in names}
    for name in names:
        lines.append(f'  {ids[name]}["{name}"]')
    for a, b in sorted(edges()):
        lines.append(f"  {ids[a]} --> {ids[b]}")
    lines.append("```")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{mermaid()}\n{END}"
    if BEGIN in text:
        new = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        new = text.rstrip() + "\n\n" + block + "\n"
    if "--check" in argv:
        if new != text:
            print("docs/DEVELOPING.md: the layout diagram is out of date; run scripts/draw_layout.py")
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    print(f"wrote the layout diagram ({len(edges())} arrows) into {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
