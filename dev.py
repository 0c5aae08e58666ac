"""Set up and run MotCua from a fresh clone with nothing but Python 3.11+.

    python dev.py run      # create .venv, install, open the app on demo data in its own file
    python dev.py test     # create .venv, install, run the whole test suite
    python dev.py build    # create .venv, install, build the program with PyInstaller

Works the same on Windows and Linux. Installs only when the requirement files changed.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirements_digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment(dev: bool) -> Path:
    """Create the virtual environment and install the pinned requirements if they changed."""
    if sys.version_info < (3, 11):
        sys.exit("MotCua cần Python 3.11 trở lên / MotCua needs Python 3.11 or newer.")
    if sqlite3.sqlite_version_info < (3, 38, 0):  # db.connection.SQLITE_MIN (no import yet)
        sys.exit(f"Python này dùng SQLite {sqlite3.sqlite_version}, MotCua cần 3.38 trở lên / "
                 "this Python's SQLite is older than the 3.38 MotCua needs.")
    if not venv_python().exists():
        print("Đang tạo môi trường .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    req = ROOT / ("requirements-dev.txt" if dev else "requirements.txt")
    files = [ROOT / "requirements.txt"] + ([req] if dev else [])
    marker = VENV / (".installed-dev" if dev else ".installed")
    wanted = requirements_digest(files)
    if not dev and _dev_install_is_current():
        return venv_python()  # the test set-up already installed everything the app needs
    if not marker.exists() or marker.read_text() != wanted:
        print("Đang cài đặt thư viện (chỉ lần đầu) ...", flush=True)
        subprocess.check_call([str(venv_python()), "-m", "pip", "install",
                               "--disable-pip-version-check", "-q", "-r", str(req)])
        marker.write_text(wanted)
    return venv_python()


def _dev_install_is_current() -> bool:
    marker = VENV / ".installed-dev"
    files = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    return marker.exists() and marker.read_text() == requirements_digest(files)


def run_app(python: Path, extra: list[str]) -> int:
    """Open the app on the demo data, in its own file (created on the first run), never in the
    office's real database; `--db PATH` opens that file instead."""
    env = dict(os.environ)
    if "--db" not in extra:
        probe = subprocess.run(
            [str(python), "-c", "from core.paths import demo_db_path; print(demo_db_path())"],
            cwd=ROOT, capture_output=True, text=True, check=True)
        demo = probe.stdout.strip()
        if not Path(demo).exists():
            print("Lần đầu chạy: đang tạo dữ liệu mẫu trong tệp riêng ...", flush=True)
            code = subprocess.call([str(python), "main.py", "demo", "--dossiers", "30000"], cwd=ROOT)
            if code:
                return code
        extra = ["--db", demo, *extra]
    return subprocess.call([str(python), "main.py", *extra], cwd=ROOT, env=env)


# Tests run in parallel (pytest-xdist) on up to this many processes. The whole suite takes ~25
# min on CI's two (slow) cores; beyond four, the suite's own multi-process tests (merges, kills,
# a second process) compete with each other for little gain.
MAX_TEST_WORKERS = 4


def test_workers(cpu_count: int | None) -> int:
    """How many pytest processes `dev.py test` starts: one per core, at most MAX_TEST_WORKERS."""
    return max(1, min(cpu_count or 1, MAX_TEST_WORKERS))


# pytest rewrites every test module's asserts to explain a failure: 40-45 s of CPU a process on
# CI's cores (11,000 asserts in 550 modules), paid again by each xdist worker since they import
# together and none finds the other's cache. Plain asserts fail the same; the failing test's
# local values (--showlocals) tell what the rewritten message would. `--assert=rewrite` restores
# the full explanation for a test being debugged.
PLAIN_ASSERTS = ["--assert=plain", "--showlocals"]


def pytest_arguments(extra: list[str], cpu_count: int | None) -> list[str]:
    """pytest's arguments for `dev.py test EXTRA`: EXTRA as given, spread over the cores unless
    EXTRA already says how (-n, --numprocesses, or `-p no:xdist` to run in one process), with
    plain asserts unless EXTRA chooses (--assert=...)."""
    chosen = any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in extra)
    no_xdist = any(a == "no:xdist" or a == "-pno:xdist" for a in extra)
    asserts = [] if any(a.startswith("--assert") for a in extra) else PLAIN_ASSERTS
    workers = test_workers(cpu_count)
    if chosen or no_xdist or workers == 1:
        return [*asserts, *extra]
    return ["-n", str(workers), *asserts, *extra]


def test_environment(environ: dict[str, str]) -> dict[str, str]:
    """The tests' environment: this one, with Python's bytecode cache allowed. A machine that
    sets PYTHONDONTWRITEBYTECODE (some containers and CI images do) would otherwise make every
    process the suite starts (the command line, helpers, kills: hundreds) compile the program's
    modules again, ~0.35 s of CPU each; the cache lives in __pycache__, which git ignores."""
    return {key: value for key, value in environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run_tests(python: Path, extra: list[str]) -> int:
    arguments = pytest_arguments(extra, os.cpu_count())
    return subprocess.call([str(python), "-m", "pytest", *arguments], cwd=ROOT,
                           env=test_environment(dict(os.environ)))


def build(python: Path, extra: list[str]) -> int:
    return subprocess.call([str(python), "-m", "PyInstaller", "--noconfirm", "build.spec", *extra],
                           cwd=ROOT)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "build"):
        print(__doc__)
        return 2
    action, extra = argv[0], argv[1:]
    python = ensure_environment(dev=action != "run")
    return {"run": run_app, "test": run_tests, "build": build}[action](python, extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
