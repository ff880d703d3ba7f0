"""The desktop metadata validates with the freedesktop tools, names the application the same
way everywhere, and the icon files the packages need are all there."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator import __version__

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.annotator.Annotator"
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(
            f"{name} is not installed (Debian: desktop-file-utils, appstream); .ci/run installs it"
        )
    return path


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_desktop_file_validates() -> None:
    result = _run(_tool("desktop-file-validate"), str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    # Hints are not failures, but we keep the file free of them.
    assert not result.stdout.strip(), result.stdout


def test_metainfo_validates() -> None:
    result = _run(_tool("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def _desktop_entries() -> dict[str, str]:
    entries = {}
    for line in DESKTOP.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entries[key] = value
    return entries


def test_desktop_file_opens_projects_and_names_the_icon() -> None:
    entries = _desktop_entries()
    assert entries["Exec"] == "annotator %f"  # a file manager passes the .sqlite file
    assert entries["Icon"] == APP_ID
    assert "application/vnd.sqlite3" in entries["MimeType"].split(";")


def test_one_application_id_everywhere() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.text == DESKTOP.name
    app = (ROOT / "annotator" / "app.py").read_text(encoding="utf-8")
    assert f'APP_ID = "{APP_ID}"' in app
    spec = (ROOT / "packaging" / "annotator.spec").read_text(encoding="utf-8")
    assert f'APP_ID = "{APP_ID}"' in spec


def test_metainfo_release_screenshot_and_rating() -> None:
    root = ET.parse(METAINFO).getroot()
    releases = root.findall("releases/release")
    assert releases, "no release"
    assert releases[0].get("version") == __version__  # newest first
    assert releases[0].get("date") == "2026-11-22"
    assert root.find("content_rating") is not None
    assert root.findtext("project_license") == "MIT"
    images = [image.text or "" for image in root.findall("screenshots/screenshot/image")]
    assert images and all(image.endswith("/docs/screenshot.png") for image in images)
    assert (ROOT / "docs" / "screenshot.png").is_file()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icon_sizes_rendered_from_the_svg() -> None:
    assert (ICONS / "annotator.svg").is_file()
    for size in PNG_SIZES:
        assert _png_size(ICONS / f"annotator-{size}.png") == (size, size)


def test_windows_and_macos_icon_containers() -> None:
    ico = (ICONS / "annotator.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count == len(PNG_SIZES)
    icns = (ICONS / "annotator.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_spec_is_not_linux_only() -> None:
    """The spec must build on Windows and macOS too: no hard-coded POSIX paths or .so names."""
    spec = (ROOT / "packaging" / "annotator.spec").read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in spec.splitlines())
    assert not re.search(r"""["'](/usr|/opt|/home|/tmp)""", code)
    assert not re.search(r"\.so\b|\.dylib\b|\.dll\b", code)
    for icon in ("annotator.ico", "annotator.icns"):
        assert icon in code and (ICONS / icon).is_file()


def test_linux_install_script_puts_everything_in_place(tmp_path: Path) -> None:
    bundle = tmp_path / "Annotator"
    bundle.mkdir()
    (bundle / "annotator").write_text("#!/bin/sh\necho bundled\n", encoding="utf-8")
    (bundle / "annotator").chmod(0o755)
    prefix = tmp_path / "prefix"
    result = subprocess.run(
        ["bash", str(LINUX / "install.sh"), str(bundle)],
        env={"PREFIX": str(prefix), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    share = prefix / "share"
    installed = share / "applications" / DESKTOP.name
    assert f"Exec={prefix}/bin/annotator %f" in installed.read_text(encoding="utf-8")
    assert (share / "metainfo" / METAINFO.name).is_file()
    for size in PNG_SIZES:
        assert (share / "icons/hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    launcher = subprocess.run(
        [str(prefix / "bin" / "annotator")], capture_output=True, text=True, check=True
    )
    assert launcher.stdout.strip() == "bundled"
    if shutil.which("desktop-file-validate"):
        assert _run("desktop-file-validate", str(installed)).returncode == 0
