"""`python dev.py test` spreads the suite over the machine's cores (CI has two), unless told how."""
from __future__ import annotations

import dev


def test_the_suite_runs_on_every_core_up_to_four():
    assert dev.pytest_arguments([], 2) == ["-n", "2", *dev.PLAIN_ASSERTS]
    assert dev.pytest_arguments([], 16) == ["-n", "4", *dev.PLAIN_ASSERTS]


def test_one_core_or_an_unknown_count_runs_in_one_process():
    assert dev.pytest_arguments([], 1) == dev.PLAIN_ASSERTS
    assert dev.pytest_arguments(["-x"], None) == [*dev.PLAIN_ASSERTS, "-x"]


def test_the_callers_own_choice_is_kept():
    assert dev.pytest_arguments(["-n", "1", "tests/core"], 2) == [*dev.PLAIN_ASSERTS, *["-n", "1", "tests/core"]]
    assert dev.pytest_arguments(["-n0"], 2) == [*dev.PLAIN_ASSERTS, *["-n0"]]
    assert dev.pytest_arguments(["--numprocesses=3"], 2) == [*dev.PLAIN_ASSERTS, *["--numprocesses=3"]]
    assert dev.pytest_arguments(["-p", "no:xdist"], 2) == [*dev.PLAIN_ASSERTS, *["-p", "no:xdist"]]


def test_other_arguments_follow_the_worker_count():
    assert dev.pytest_arguments(["-m", "spreadsheet", "-q"], 2) == [
        "-n", "2", *dev.PLAIN_ASSERTS, "-m", "spreadsheet", "-q"]


def test_the_tests_may_keep_compiled_modules():
    """A machine that forbids the bytecode cache would make each of the suite's processes
    compile the program again: `dev.py test` allows it, and keeps every other setting."""
    given = {"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin", "LANG": "C.UTF-8"}
    assert dev.test_environment(given) == {"PATH": "/usr/bin", "LANG": "C.UTF-8"}
    assert dev.test_environment({"PATH": "/bin"}) == {"PATH": "/bin"}


def test_asserts_are_plain_unless_the_caller_chooses():
    """Rewriting 11,000 asserts costs each worker ~40 s of CPU; a failure still fails, and
    --showlocals prints the values. A caller's own --assert wins."""
    assert dev.PLAIN_ASSERTS == ["--assert=plain", "--showlocals"]
    assert dev.pytest_arguments(["--assert=rewrite", "tests/x.py"], 2) == [
        "-n", "2", "--assert=rewrite", "tests/x.py"]


def test_ci_renders_workbooks_with_the_same_asserts():
    """CI's workbook step runs pytest itself: with rewritten asserts it would rewrite every
    module again (the suite's run left no rewritten copies to reuse)."""
    ci = (dev.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    render = next(line for line in ci.splitlines() if "pytest" in line and "-m spreadsheet" in line)
    assert " ".join(dev.PLAIN_ASSERTS) in render
