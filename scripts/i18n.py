"""Extract, check and compile Grid Planner's translations (zh_CN).

Strings are found by reading the source (AST), not by running it:
- first string argument of calls named ``tr``, ``N_``, ``InputError``, ``GridPlannerError``,
  ``Cancelled``, ``Warning_``, ``warn`` and ``info``;
- class attributes ``DISPLAY_NAME``, ``GROUP`` and ``SHORT_HELP`` (algorithm metadata).
Translations live in ``i18n/zh_CN/*.json`` (one file per area of the code, ``{"English": "中文"}``),
so several people can add strings without editing one shared file. ``update`` writes
``i18n/gridplanner_zh_CN.ts`` and compiles ``i18n/gridplanner_zh_CN.qm`` with lrelease.

Usage (with the venv's python):
  python scripts/i18n.py update    # regenerate .ts and .qm
  python scripts/i18n.py missing   # list strings without a Chinese translation
  python scripts/i18n.py check     # fail if a string lacks a translation or .ts/.qm are stale
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = [ROOT / "grid_plugin", ROOT / "processing"]
I18N = ROOT / "i18n"
LOCALE = "zh_CN"
CONTEXT = "GridPlanner"
CALL_NAMES = {"tr", "N_", "InputError", "GridPlannerError", "Cancelled", "Warning_", "warn", "info"}
ATTRIBUTE_NAMES = {"DISPLAY_NAME", "GROUP", "SHORT_HELP"}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?\}")


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def extract() -> tuple[dict[str, list[str]], list[str]]:
    """Return ({string: [locations]}, [problems]) for every marked string in the source."""
    found: dict[str, list[str]] = {}
    problems: list[str] = []
    for folder in SOURCE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
            for node in ast.walk(tree):
                value = None
                if isinstance(node, ast.Call) and _call_name(node) in CALL_NAMES and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        value = first.value
                    elif isinstance(first, ast.JoinedStr):
                        problems.append(
                            f"{rel}:{node.lineno}: f-string passed to {_call_name(node)}(); use a template with named fields"
                        )
                elif isinstance(node, ast.ClassDef):
                    for statement in node.body:
                        if (
                            isinstance(statement, ast.Assign)
                            and len(statement.targets) == 1
                            and isinstance(statement.targets[0], ast.Name)
                            and statement.targets[0].id in ATTRIBUTE_NAMES
                            and isinstance(statement.value, ast.Constant)
                            and isinstance(statement.value.value, str)
                            and statement.value.value
                        ):
                            found.setdefault(statement.value.value, []).append(f"{rel}:{statement.lineno}")
                if value:
                    found.setdefault(value, []).append(f"{rel}:{node.lineno}")
    return found, problems


def load_translations() -> dict[str, str]:
    """Merge every ``i18n/zh_CN/*.json`` table; later files never silently override earlier ones."""
    merged: dict[str, str] = {}
    for path in sorted((I18N / LOCALE).glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))
        for source, translation in table.items():
            if source in merged and merged[source] != translation:
                raise SystemExit(f"{path.name}: conflicting translation for {source!r}")
            merged[source] = translation
    return merged


def render_ts(strings: dict[str, list[str]], translations: dict[str, str]) -> str:
    """The Qt Linguist .ts XML for ``strings`` (sorted, so the file is stable)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{LOCALE}">',
        "<context>",
        f"    <name>{CONTEXT}</name>",
    ]
    for source in sorted(strings):
        # File names only, no line numbers: the .ts then changes when strings change, not on every edit.
        filenames = sorted({location.rsplit(":", 1)[0] for location in strings[source]})
        lines.append("    <message>")
        lines.extend(f'        <location filename="../{filename}"/>' for filename in filenames)
        lines.append(f"        <source>{escape(source)}</source>")
        translation = translations.get(source)
        if translation:
            lines.append(f"        <translation>{escape(translation)}</translation>")
        else:
            lines.append('        <translation type="unfinished"></translation>')
        lines.append("    </message>")
    lines += ["</context>", "</TS>", ""]
    return "\n".join(lines)


def lrelease() -> str:
    """Path of Qt 5's lrelease."""
    for candidate in ("lrelease", "/usr/lib/qt5/bin/lrelease", "/usr/lib/x86_64-linux-gnu/qt5/bin/lrelease"):
        found = shutil.which(candidate) or (candidate if Path(candidate).exists() else None)
        if found:
            return found
    raise SystemExit("lrelease not found: install Debian's qttools5-dev-tools (scripts/setup.sh does).")


def compile_qm(ts_path: Path, qm_path: Path) -> None:
    """Compile ``ts_path`` into ``qm_path``."""
    subprocess.run([lrelease(), "-silent", str(ts_path), "-qm", str(qm_path)], check=True)


def placeholder_problems(translations: dict[str, str], strings: dict[str, list[str]]) -> list[str]:
    """Translations whose ``{named}`` fields differ from the source's."""
    problems = []
    for source in strings:
        translation = translations.get(source)
        if translation and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
            problems.append(f"placeholders differ: {source!r} -> {translation!r}")
    return problems


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    strings, problems = extract()
    translations = load_translations()
    ts_path = I18N / f"gridplanner_{LOCALE}.ts"
    qm_path = I18N / f"gridplanner_{LOCALE}.qm"
    missing = sorted(s for s in strings if not translations.get(s))
    if command == "missing":
        for source in missing:
            print(json.dumps(source, ensure_ascii=False), "  #", ", ".join(strings[source][:2]))
        print(f"{len(missing)} of {len(strings)} strings lack a {LOCALE} translation", file=sys.stderr)
        return 0
    if command == "update":
        ts_path.write_text(render_ts(strings, translations), encoding="utf-8")
        compile_qm(ts_path, qm_path)
        print(f"wrote {ts_path.name} and {qm_path.name}: {len(strings)} strings, {len(missing)} untranslated")
        return 0
    if command == "check":
        problems += placeholder_problems(translations, strings)
        if missing:
            problems.append(f"{len(missing)} strings lack a {LOCALE} translation (run: python scripts/i18n.py missing)")
        if not ts_path.exists() or ts_path.read_text(encoding="utf-8") != render_ts(strings, translations):
            problems.append(f"{ts_path.name} is stale (run: python scripts/i18n.py update)")
        elif not qm_path.exists():
            problems.append(f"{qm_path.name} is missing (run: python scripts/i18n.py update)")
        else:
            with tempfile.TemporaryDirectory() as tmp:
                fresh = Path(tmp) / "fresh.qm"
                compile_qm(ts_path, fresh)
                if fresh.read_bytes() != qm_path.read_bytes():
                    problems.append(f"{qm_path.name} is stale (run: python scripts/i18n.py update)")
        for problem in problems:
            print(problem, file=sys.stderr)
        if not problems:
            print(f"translations: {len(strings)} strings, all translated to {LOCALE}")
        return 1 if problems else 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
