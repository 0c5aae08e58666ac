"""Biểu 06 and the 766 table stop at the clerk's Cancel between their steps — after each of
the engine's computations, between units and rows, before the finished file takes its name —
and leave no file (the lists' mechanism: core.workbook.stream.proceed, InterruptedError)."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from core.database import open_database
from core.workbook.bieu06 import save_bieu06
from core.workbook.i766 import save_i766
from tests.core.workbook.demo import OCTOBER, make_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("demo") / "demo.db")


class Clerk:
    """A progress callback that answers Cancel at its n-th call, recording what it was told."""

    def __init__(self, cancel_at: int | None):
        self.cancel_at, self.calls = cancel_at, []

    def __call__(self, done: int, total: int) -> bool:
        self.calls.append((done, total))
        return len(self.calls) != self.cancel_at


def make(demo, kind, folder, progress):
    db = open_database(str(demo))
    try:
        if kind == "bieu06":
            return save_bieu06(db, folder / "f.xlsx", *OCTOBER, None, "field", progress)
        return save_i766(db, folder / "f.xlsx", *OCTOBER, None, progress)
    finally:
        db.close()


@pytest.mark.parametrize("kind", ["bieu06", "i766"])
def test_every_step_can_be_cancelled_and_leaves_no_file(demo, tmp_path, kind):
    folder = tmp_path / "out"
    folder.mkdir()
    whole = Clerk(None)
    path = make(demo, kind, folder, whole)
    assert load_workbook(path).sheetnames
    steps = len(whole.calls)
    assert steps >= 5 and whole.calls[-1] == (1, 1)  # the engine, each row, the save
    path.unlink()
    for cancel_at in (1, 2, 3, steps - 1, steps):
        clerk = Clerk(cancel_at)
        with pytest.raises(InterruptedError):
            make(demo, kind, folder, clerk)
        assert len(clerk.calls) == cancel_at  # stopped at once, nothing more done
        assert list(folder.iterdir()) == [], cancel_at  # no file, no half file
