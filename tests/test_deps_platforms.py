"""The load-time message names the right install command on each platform (plain Python, no QGIS)."""

from __future__ import annotations

import sys

import pytest
from gridplanner.grid_plugin import deps

REQS = ["shapely>=2.0,<3", "geopandas>=1.0,<2"]
DEBIAN_12 = {"ID": "debian", "VERSION_ID": "12"}
DEBIAN_13 = {"ID": "debian", "VERSION_ID": "13"}
UBUNTU_2404 = {"ID": "ubuntu", "ID_LIKE": "debian", "VERSION_ID": "24.04"}
UBUNTU_2504 = {"ID": "ubuntu", "ID_LIKE": "debian", "VERSION_ID": "25.04"}
MINT = {"ID": "linuxmint", "ID_LIKE": "ubuntu debian", "VERSION_ID": "26"}


def test_windows_uses_the_osgeo4w_shells_python():
    command = deps.install_command(REQS, "windows", executable=r"C:\OSGeo4W\bin\qgis-bin.exe")
    assert command == 'python -m pip install --upgrade "shapely>=2.0,<3" "geopandas>=1.0,<2"'


def test_macos_uses_the_python_inside_the_qgis_bundle():
    command = deps.install_command(REQS, "macos", executable="/Applications/QGIS-LTR.app/Contents/MacOS/QGIS")
    assert command.startswith('"/Applications/QGIS-LTR.app/Contents/MacOS/bin/python3" -m pip install --upgrade')
    assert command.endswith('"shapely>=2.0,<3" "geopandas>=1.0,<2"')
    # Not started from a bundle (a test run, a custom build): the official installer's place.
    other = deps.install_command(REQS, "macos", executable="/usr/local/bin/python3")
    assert other.startswith(f'"{deps.MACOS_DEFAULT_PYTHON}" -m pip install')
    assert deps.MACOS_DEFAULT_PYTHON == "/Applications/QGIS.app/Contents/MacOS/bin/python3"


@pytest.mark.parametrize("release", [DEBIAN_13, UBUNTU_2504, {"ID": "debian", "VERSION_ID": "14"}, {"ID": "debian"}])
def test_debian_and_ubuntu_with_new_enough_packages_use_apt(release):
    command = deps.install_command(REQS, "debian", release=release, executable="/usr/bin/qgis")
    assert command == "sudo apt install python3-shapely python3-geopandas"


@pytest.mark.parametrize("release", [DEBIAN_12, UBUNTU_2404, MINT])
def test_older_debian_and_ubuntu_get_debians_pip_for_the_user(release):
    command = deps.install_command(REQS, "debian", release=release, executable="/usr/bin/qgis", externally_managed=True)
    apt, pip = command.split("\n")
    assert apt == "sudo apt install python3-pip"
    assert pip == (
        '/usr/bin/python3 -m pip install --user --break-system-packages --upgrade "shapely>=2.0,<3" "geopandas>=1.0,<2"'
    )


def test_other_linux_uses_pip_and_only_breaks_system_packages_where_pep668_applies():
    managed = deps.install_command(REQS, "linux", executable="/usr/bin/python3.12", externally_managed=True)
    assert managed.startswith("/usr/bin/python3.12 -m pip install --user --break-system-packages --upgrade")
    plain = deps.install_command(REQS, "linux", executable="/usr/bin/qgis", externally_managed=False)
    assert plain == '/usr/bin/python3 -m pip install --user --upgrade "shapely>=2.0,<3" "geopandas>=1.0,<2"'


def test_numpy_is_never_pinned_below_2():
    # QGIS 3.40+ on Debian 13 is built against numpy 2; a "numpy<2" there would break QGIS itself.
    requirement = dict((name, req) for name, req, _minimum in deps.REQUIRED_PACKAGES)["numpy"]
    assert "<2" not in requirement


@pytest.mark.parametrize(
    ("platform_name", "words"),
    [("windows", "OSGeo4W Shell"), ("macos", "QGIS's own Python"), ("debian", "Install them with")],
)
def test_each_platform_has_its_own_explanation(monkeypatch, platform_name, words):
    monkeypatch.setitem(sys.modules, "geopandas", None)  # import geopandas now raises ImportError
    message = deps.dependency_message(platform_name)
    assert "geopandas (missing)" in message and words in message and "restart QGIS" in message
    assert '"geopandas>=1.0,<2"' in message or "python3-geopandas" in message


def test_this_machine_is_recognised():
    platform_name = deps.host_platform()
    if sys.platform.startswith("linux"):
        expected = "debian" if {"debian", "ubuntu"} & {deps.os_release().get("ID")} else platform_name
        assert platform_name == expected
    assert platform_name in {"windows", "macos", "debian", "linux"}
