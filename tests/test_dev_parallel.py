"""`python dev.py test` spreads the suite over the machine's cores (CI has two), unless told how."""
from __future__ import annotations

import dev


def test_the_suite_runs_on_every_core_up_to_four():
    assert dev.pytest_arguments([], 2) == ["-n", "2"]
    assert dev.pytest_arguments([], 16) == ["-n", "4"]


def test_one_core_or_an_unknown_count_runs_in_one_process():
    assert dev.pytest_arguments([], 1) == []
    assert dev.pytest_arguments(["-x"], None) == ["-x"]


def test_the_callers_own_choice_is_kept():
    assert dev.pytest_arguments(["-n", "1", "tests/core"], 2) == ["-n", "1", "tests/core"]
    assert dev.pytest_arguments(["-n0"], 2) == ["-n0"]
    assert dev.pytest_arguments(["--numprocesses=3"], 2) == ["--numprocesses=3"]
    assert dev.pytest_arguments(["-p", "no:xdist"], 2) == ["-p", "no:xdist"]


def test_other_arguments_follow_the_worker_count():
    assert dev.pytest_arguments(["-m", "spreadsheet", "-q"], 2) == ["-n", "2", "-m", "spreadsheet", "-q"]


def test_the_tests_may_keep_compiled_modules():
    """A machine that forbids the bytecode cache would make each of the suite's processes
    compile the program again: `dev.py test` allows it, and keeps every other setting."""
    given = {"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin", "LANG": "C.UTF-8"}
    assert dev.test_environment(given) == {"PATH": "/usr/bin", "LANG": "C.UTF-8"}
    assert dev.test_environment({"PATH": "/bin"}) == {"PATH": "/bin"}
