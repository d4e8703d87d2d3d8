"""Check the third-party Python packages the plugin needs, without importing QGIS.

A planner's QGIS may lack shapely 2 or geopandas 1. The plugin must then say so, with the exact
command that installs them, instead of failing with a traceback on load.
"""

from __future__ import annotations

import importlib
import os
import sys
import sysconfig
from pathlib import Path

from .core.errors import N_

#: (import name, pip requirement, minimum version as a tuple). numpy has no upper bound here: it must
#: match the numpy QGIS was built with (1.x on Debian 12, 2.x on Debian 13), which is already there.
REQUIRED_PACKAGES = (
    ("numpy", "numpy>=1.24", (1, 24)),
    ("shapely", "shapely>=2.0,<3", (2, 0)),
    ("geopandas", "geopandas>=1.0,<2", (1, 0)),
    ("pyproj", "pyproj>=3.4", (3, 4)),
    ("scipy", "scipy>=1.10", (1, 10)),
    ("matplotlib", "matplotlib>=3.6", (3, 6)),
)

#: Debian/Ubuntu package of each import name.
APT_PACKAGES = {
    "numpy": "python3-numpy",
    "shapely": "python3-shapely",
    "geopandas": "python3-geopandas",
    "pyproj": "python3-pyproj",
    "scipy": "python3-scipy",
    "matplotlib": "python3-matplotlib",
}
#: The first releases whose own packages are new enough for every entry of REQUIRED_PACKAGES
#: (Debian 12 has shapely 1.8 and geopandas 0.12; Ubuntu 24.04 geopandas 0.14).
APT_SUFFICES_FROM = {"debian": (13,), "ubuntu": (25, 4)}
#: QGIS's own Python on macOS (the official installer puts QGIS.app in /Applications).
MACOS_DEFAULT_PYTHON = "/Applications/QGIS.app/Contents/MacOS/bin/python3"


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


def host_platform() -> str:
    """``windows``, ``macos``, ``debian`` (Debian, Ubuntu and their derivatives) or ``linux``."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    release = os_release()
    ids = {release.get("ID", "")} | set(release.get("ID_LIKE", "").split())
    return "debian" if ids & {"debian", "ubuntu"} else "linux"


def os_release() -> dict[str, str]:
    """The fields of ``/etc/os-release`` (empty when there is none)."""
    try:
        import platform

        return dict(platform.freedesktop_os_release())
    except (OSError, AttributeError):
        return {}


def _externally_managed() -> bool:
    """True when the system Python refuses ``pip install`` without ``--break-system-packages`` (PEP 668)."""
    return (Path(sysconfig.get_paths()["stdlib"]) / "EXTERNALLY-MANAGED").exists()


def _macos_python(executable: str) -> str:
    """The python3 inside the QGIS.app bundle QGIS runs from (``sys.executable`` is the QGIS binary)."""
    marker = ".app/Contents/"
    if marker in executable:
        bundle = executable[: executable.index(marker) + len(".app")]
        return f"{bundle}/Contents/MacOS/bin/python3"
    return MACOS_DEFAULT_PYTHON


def install_command(
    requirements: list[str],
    platform_name: str | None = None,
    *,
    release: dict[str, str] | None = None,
    executable: str | None = None,
    externally_managed: bool | None = None,
) -> str:
    """The shell command that installs ``requirements`` into the Python QGIS runs.

    - Windows (OSGeo4W and the standalone installer): ``python -m pip`` in the OSGeo4W Shell, which
      runs QGIS's own Python (``sys.executable`` is ``qgis-bin.exe`` there).
    - macOS: the ``python3`` inside the QGIS.app bundle.
    - Debian/Ubuntu: ``apt install python3-…`` where the release's own packages are new enough
      (Debian 13, Ubuntu 25.04 and later); on older releases Debian's pip for this user.
    - Other Linux: the system Python's pip for this user.

    The keyword arguments override what is detected, for tests.
    """
    platform_name = platform_name or host_platform()
    executable = executable if executable is not None else sys.executable
    quoted = " ".join(f'"{req}"' for req in requirements)
    if platform_name == "windows":
        return f"python -m pip install --upgrade {quoted}"
    if platform_name == "macos":
        return f'"{_macos_python(executable)}" -m pip install --upgrade {quoted}'
    if externally_managed is None:
        externally_managed = _externally_managed()
    python = executable if os.path.basename(executable).startswith("python") else "/usr/bin/python3"
    pip = f"{python} -m pip install --user{' --break-system-packages' if externally_managed else ''} --upgrade {quoted}"
    if platform_name != "debian":
        return pip
    release = os_release() if release is None else release
    names = [req.split(">")[0].split("<")[0].split("=")[0].strip() for req in requirements]
    if _apt_suffices(release) and all(name in APT_PACKAGES for name in names):
        return "sudo apt install " + " ".join(APT_PACKAGES[name] for name in names)
    # Debian 12 / Ubuntu 24.04: the release's packages are too old; pip (Debian's) for this user.
    return "sudo apt install python3-pip\n" + pip


def _apt_suffices(release: dict[str, str]) -> bool:
    ids = [release.get("ID", "")] + release.get("ID_LIKE", "").split()
    if release.get("ID") == "debian" and "VERSION_ID" not in release:
        return True  # testing/unstable: newer than any stable release
    version = _version_tuple(release.get("VERSION_ID", "0"))
    for distro in ids:
        if distro in APT_SUFFICES_FROM:
            # A derivative (ID_LIKE) carries its own version numbers: trust only the distribution itself.
            return distro == release.get("ID") and version >= APT_SUFFICES_FROM[distro]
    return False


DEPENDENCY_TEMPLATE = N_(
    "Grid Planner needs Python packages that this QGIS cannot import: {found}. "
    "Install them with:\n\n{command}\n\nthen restart QGIS."
)
DEPENDENCY_TEMPLATE_WINDOWS = N_(
    "Grid Planner needs Python packages that this QGIS cannot import: {found}. Open the OSGeo4W Shell "
    "(Start menu › QGIS › OSGeo4W Shell; right-click › Run as administrator) and run:\n\n{command}\n\n"
    "then restart QGIS."
)
DEPENDENCY_TEMPLATE_MACOS = N_(
    "Grid Planner needs Python packages that this QGIS cannot import: {found}. Install them into QGIS's "
    "own Python: open Terminal and run:\n\n{command}\n\nthen restart QGIS."
)
_TEMPLATES = {"windows": DEPENDENCY_TEMPLATE_WINDOWS, "macos": DEPENDENCY_TEMPLATE_MACOS}


def dependency_problem(platform_name: str | None = None) -> tuple[str, dict] | None:
    """Return ``(template, params)`` explaining missing packages, or ``None`` when all is well."""
    problems = missing_packages()
    if not problems:
        return None
    platform_name = platform_name or host_platform()
    found = ", ".join(f"{name} ({state})" for name, _req, state in problems)
    command = install_command([req for _name, req, _state in problems], platform_name)
    return _TEMPLATES.get(platform_name, DEPENDENCY_TEMPLATE), {"found": found, "command": command}


def dependency_message(platform_name: str | None = None) -> str | None:
    """The English explanation of missing packages, or ``None`` when all is well."""
    problem = dependency_problem(platform_name)
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
        # Built from source against the system GEOS: pip, whatever the distribution's own packages are.
        pip = install_command(["shapely>=2.0,<3"], "linux")
        command = "sudo apt install libgeos-dev   # Debian/Ubuntu\n" + pip.replace(
            "--upgrade", "--upgrade --force-reinstall --no-binary shapely"
        )
    else:
        command = install_command(["shapely>=2.0,<3"])
    return GEOS_TEMPLATE, {
        "shapely_geos": ".".join(str(v) for v in shapely.geos_version),
        "qgis_geos": qgis_geos_text,
        "command": command,
    }
