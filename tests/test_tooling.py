"""The linters guard the tree as the tests do: a new warning of ruff (pyflakes, pycodestyle,
bugbear, isort, pyupgrade) or of mypy (core/ and db/) fails the test command, and so CI.
Settings: pyproject.toml; versions: requirements-dev.txt."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_ruff_finds_nothing():
    """pyflakes, pycodestyle, bugbear, import order and pyupgrade (pyproject.toml); import order
    and pyupgrade findings are fixed by `ruff check --fix .`."""
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_on_core_and_db():
    result = run("mypy")  # files and strictness: pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
