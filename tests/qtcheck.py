"""Before any test: can Qt start here? If not, say in one line what to install.

The tests need no display (they draw on Qt's "offscreen" platform) and no system program, but
on Linux Qt's own libraries load a few shared libraries of the system (OpenGL/EGL, X11 and
xkbcommon for keyboard handling, fontconfig/freetype, GLib, D-Bus) that a minimal machine or a
slim container lacks; Windows and macOS wheels carry everything. Without them importing
PySide6 fails with a loader traceback, or creating the application aborts the process, so
the check runs in a child process and the run stops with one Vietnamese/English line naming
the Debian packages to install. It stops rather than skipping the screen tests: a suite that
"passes" with half of it skipped would hide exactly the machine it should warn about.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

# Every system library that Qt's Core, Gui, Widgets, PrintSupport, DBus and the offscreen
# platform plugin link to directly (objdump -p ... | grep NEEDED on PySide6 6.12), apart from
# libc and libstdc++, with the Debian/Ubuntu package that holds it. Their own needs (libxcb,
# mesa, a font) come with these packages.
DEBIAN_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11.so.6": "libx11-6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}



# apt itself needs these, so every Debian has them: checked, but left out of the install line.
IN_EVERY_DEBIAN = {"zlib1g", "libzstd1"}


def debian_packages() -> list[str]:
    """The one apt-get line of the README and of CI's first step, in a stable order."""
    return sorted(set(DEBIAN_PACKAGES.values()) - IN_EVERY_DEBIAN)


PROBE = """
import ctypes, sys
if sys.platform.startswith("linux"):
    missing = []
    for name in sys.argv[1:]:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    if missing:
        print("MISSING", *missing)
        sys.exit(3)
from PySide6 import QtPrintSupport
from PySide6.QtWidgets import QApplication
app = QApplication(["motcua-tests"])
print("OK", app.platformName())
"""


def problem() -> str | None:
    """None when Qt starts on this machine; otherwise the one line that says what to do."""
    result = subprocess.run([sys.executable, "-c", PROBE, *DEBIAN_PACKAGES],
                            capture_output=True, text=True, timeout=120)
    if result.returncode == 0:
        return None
    words = result.stdout.split()
    if words[:1] == ["MISSING"]:
        return missing_message(words[1:])
    libraries = re.findall(r"([\w.+-]+\.so[.\d]*): cannot open shared object file", result.stderr)
    if libraries:
        return missing_message(libraries)
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    first = (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[0].strip()
    return (f"Qt không khởi động được (nền tảng '{platform}'): {first} / "
            f"Qt cannot start (platform '{platform}'): leave QT_QPA_PLATFORM unset to test "
            "without a display")


def missing_message(libraries: list[str]) -> str:
    """One line: the missing libraries and the apt-get command that installs them."""
    packages = sorted({DEBIAN_PACKAGES[name] for name in libraries if name in DEBIAN_PACKAGES})
    unknown = [name for name in libraries if name not in DEBIAN_PACKAGES]
    install = " ".join(packages + [f"<gói chứa/package with {name}>" for name in unknown])
    return (f"Thiếu thư viện hệ thống của Qt: {', '.join(libraries)} / "
            f"Qt system libraries missing: apt-get install {install}")
