"""Check the third-party Python packages the plugin needs, without importing QGIS.

A planner's QGIS may lack shapely 2 or geopandas 1. The plugin must then say so, with the exact
command that installs them, instead of failing with a traceback on load.
"""

from __future__ import annotations

import importlib
import os
import sys

from .core.errors import N_

#: (import name, pip requirement, minimum version as a tuple)
REQUIRED_PACKAGES = (
    ("numpy", "numpy>=1.24,<2", (1, 24)),
    ("shapely", "shapely>=2.0,<3", (2, 0)),
    ("geopandas", "geopandas>=1.0,<2", (1, 0)),
    ("pyproj", "pyproj>=3.4", (3, 4)),
    ("scipy", "scipy>=1.10", (1, 10)),
    ("matplotlib", "matplotlib>=3.6", (3, 6)),
)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def missing_packages() -> list[tuple[str, str, str]]:
    """Return ``(name, requirement, found)`` for each package that is missing or too old.

    ``found`` is ``"missing"`` or the installed version.
    """
    problems = []
    for name, requirement, minimum in REQUIRED_PACKAGES:
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - any import failure means unusable
            problems.append((name, requirement, "missing"))
            continue
        version = getattr(module, "__version__", "0")
        if _version_tuple(version) < minimum:
            problems.append((name, requirement, version))
    return problems


def install_command(requirements: list[str]) -> str:
    """Return the shell command that installs ``requirements`` into the Python QGIS runs."""
    quoted = " ".join(f'"{req}"' for req in requirements)
    if sys.platform.startswith("win"):
        # QGIS on Windows: sys.executable is qgis-bin.exe; the OSGeo4W Shell has the right python.
        return f"python -m pip install --upgrade {quoted}   (run in the OSGeo4W Shell as administrator)"
    if sys.platform == "darwin":
        python = os.path.join(sys.prefix, "bin", "python3")
        return f'"{python}" -m pip install --upgrade {quoted}'
    python = sys.executable if os.path.basename(sys.executable).startswith("python") else "/usr/bin/python3"
    # Debian 12 and Ubuntu 23.04+ mark the system Python as externally managed.
    return f"{python} -m pip install --user --break-system-packages --upgrade {quoted}"


DEPENDENCY_TEMPLATE = N_(
    "Grid Planner needs Python packages that this QGIS cannot import: {found}. "
    "Install them with:\n\n{command}\n\nthen restart QGIS."
)


def dependency_problem() -> tuple[str, dict] | None:
    """Return ``(template, params)`` explaining missing packages, or ``None`` when all is well."""
    problems = missing_packages()
    if not problems:
        return None
    found = ", ".join(f"{name} ({state})" for name, _req, state in problems)
    command = install_command([req for _name, req, _state in problems])
    return DEPENDENCY_TEMPLATE, {"found": found, "command": command}


def dependency_message() -> str | None:
    """The English explanation of missing packages, or ``None`` when all is well."""
    problem = dependency_problem()
    return None if problem is None else problem[0].format(**problem[1])


GEOS_TEMPLATE = N_(
    "shapely uses GEOS {shapely_geos} but QGIS uses GEOS {qgis_geos}. Two GEOS libraries in one QGIS "
    "process can crash QGIS in some geometry operations. Install a shapely built against QGIS's GEOS:"
    "\n\n{command}"
)


def geos_problem(qgis_geos_major_minor: tuple[int, int], qgis_geos_text: str) -> tuple[str, dict] | None:
    """``(template, params)`` when shapely's GEOS differs from QGIS's (major.minor), else ``None``.

    The PyPI wheels of shapely bundle their own GEOS; inside QGIS the two copies clash (seen on
    Linux: prepared predicates and ``contains_xy`` segfault in qgis_process). A shapely built from
    source against the system GEOS (or the one QGIS's installer ships) avoids it.
    """
    try:
        import shapely
    except Exception:  # noqa: BLE001 - reported by dependency_problem instead
        return None
    ours = tuple(shapely.geos_version[:2])
    if ours == tuple(qgis_geos_major_minor):
        return None
    if sys.platform.startswith("linux"):
        command = "sudo apt install libgeos-dev   # Debian/Ubuntu\n" + install_command(["shapely>=2.0,<3"]).replace(
            "--upgrade", "--upgrade --force-reinstall --no-binary shapely"
        )
    else:
        command = install_command(["shapely>=2.0,<3"])
    return GEOS_TEMPLATE, {
        "shapely_geos": ".".join(str(v) for v in shapely.geos_version),
        "qgis_geos": qgis_geos_text,
        "command": command,
    }
