"""The next part's chain asked of the second process as a part's events go in
(core.exchange.fastcopy.Copier.guess_next): taken only when the next part's own arguments are
the same (no code held, the same head), else asked for again; the centre is the same either
way."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from bench.bench_exchange import derive_rows
from core import demo, timefmt
from core.database import open_database
from core.exchange import export_package, fastcopy, merge
from core.exchange.fastcopy import ahead as copier_ahead
from core.exchange.fastcopy import chain_jobs, copy_part
from core.exchange.merge import import_packages
from db import chain, chain_hashing
from tests.core.exchange.conftest import made_later
from tests.core.exchange.test_fastcopy import NOW, TODAY, content


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("guess")
    db = open_database(folder / "office.db")
    demo.generate(db, dossiers=50, seed=4, today=TODAY)
    export_package(db, folder / "office.zip", dt.date(2024, 1, 1), format_version=3)
    db.close()
    return folder / "office.zip"


@pytest.fixture(autouse=True)
def verified_first(monkeypatch) -> None:
    """Every package verified before the transaction, as before open14 (merge._Opening): which
    jobs the second process is given, and in what order, then depends on the chains alone, not
    on when the verifying threads happen to finish (tests/core/exchange/test_opening.py tests
    the verification ahead of the merge)."""
    opened = merge._Opening.open

    def open_all(self, check=None):
        readers = opened(self, check)
        for index in range(len(readers)):
            self.verified(index)
        return readers

    monkeypatch.setattr(merge._Opening, "open", open_all)


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, int]]:
    """Each chain asked of the second process: (the part's file, how many dossiers it leaves)."""
    seen: list[tuple[str, int]] = []
    start, copy = fastcopy.Copier.start, fastcopy.Copier.copy
    monkeypatch.setattr(timefmt, "now", lambda: NOW)

    def copying(self, part, **options):
        seen.append(("copy", -1))
        return copy(self, part, **options)

    def starting(self, job, *args):
        if job is chain_jobs._ahead:
            seen.append((Path(args[0]).name, len(args[1])))
        return start(self, job, *args)

    monkeypatch.setattr(fastcopy.Copier, "start", starting)
    monkeypatch.setattr(fastcopy.Copier, "copy", copying)
    return seen


def sent_again(source: Path, target: Path, slot: int, group: int) -> None:
    """Installation `slot`'s package sent again a minute later (the same dossiers): merged
    after the packages made before it, wherever given (merge.merge_order)."""
    derive_rows(source, target, slot, group)
    made_later(target)


def _chains(asked: list[tuple[str, int]]) -> list[int]:
    return [left for part, left in asked if part != "copy"]


def _merged(tmp_path: Path, name: str, packages: list[Path]):
    db = open_database(tmp_path / name)
    import_packages(db, packages, bulk=True)
    return db


def _assert_same_centre(mine, theirs) -> None:
    """Every table and the chain's head the same in both centres, which are then closed."""
    ours, others = content(mine), content(theirs)
    for table in others:
        assert ours[table] == others[table], table
    assert chain.head(mine.conn) == chain.head(theirs.conn)
    mine.close()
    theirs.close()


@pytest.mark.parametrize("processes", [True, False], ids=["second-process", "in-turn"])
def test_the_next_part_s_chain_is_asked_for_once(source, tmp_path, asked, monkeypatch,
                                                 processes):
    """Three parts of new codes: three chains asked for (the second's and third's as the part
    before's events went in), none twice; the centre as with each asked for at its part."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0 if processes else 10 ** 9)
    packages = [tmp_path / f"p{slot}.zip" for slot in (1, 2, 3)]
    for slot, package in enumerate(packages, 1):
        derive_rows(source, package, slot, 3)
    early = _merged(tmp_path, "early.db", packages)
    # each part's copy finds its chain asked for (the first's, at its start)
    assert [part == "copy" for part, _left in asked] == [True, False, False, True, False, True]
    assert _chains(asked) == [0, 0, 0]
    monkeypatch.setattr(fastcopy.Copier, "guess_next", lambda self, head, width: None)
    del asked[:]
    late = _merged(tmp_path, "late.db", packages)
    assert [part == "copy" for part, _left in asked] == [True, False] * 3
    _assert_same_centre(early, late)


def test_a_chain_asked_for_with_other_codes_held_is_asked_for_again(source, tmp_path, asked,
                                                                   monkeypatch):
    """The third package sends the first's dossiers again: its codes are held, so the chain
    asked for it early (no code held) is not taken; it is asked for again, leaving them, and
    the centre is the one the merge leaves with no chain asked for early."""
    packages = [tmp_path / "p1.zip", tmp_path / "p2.zip", tmp_path / "p1-again.zip"]
    derive_rows(source, packages[0], 1, 2)
    derive_rows(source, packages[1], 2, 2)
    sent_again(source, packages[2], 1, 2)
    early = _merged(tmp_path, "early.db", packages)
    assert _chains(asked) == [0, 0, 0, 50]  # the third's guess, then its own
    assert early.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 100
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    monkeypatch.setattr(fastcopy.Copier, "guess_next", lambda self, head, width: None)
    del asked[:]
    late = _merged(tmp_path, "late.db", packages)
    assert _chains(asked) == [0, 0, 50]
    _assert_same_centre(early, late)


def test_no_job_kept_for_later_goes_before_a_chain_asked_for_early(source, tmp_path, asked,
                                                                   monkeypatch):
    """Each part's chain is ready before its part asks for it (waited for here), so a facts job
    kept for later is given to the second process as the part's events go in (`spare`): after
    the next part's chain asked for early, never before it (the single second process runs
    its jobs in turn)."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    given: list[str] = []
    run, words = fastcopy.Copier._run, copy_part._Copy.words

    def running(self, job, args):
        given.append(job.__name__)
        return run(self, job, args)

    def ready_first(self):
        self.chained.wait()
        return words(self)

    monkeypatch.setattr(fastcopy.Copier, "_run", running)
    monkeypatch.setattr(copy_part._Copy, "words", ready_first)
    packages = [tmp_path / f"p{slot}.zip" for slot in (1, 2, 3)]
    for slot, package in enumerate(packages, 1):
        derive_rows(source, package, slot, 3)
    _merged(tmp_path, "centre.db", packages).close()
    chains = [n for n, job in enumerate(given) if job == "_ahead"]
    assert len(chains) == 3
    # each part's search keys (keys13, rank 0) and facts after the next part's chain and the
    # tails of the part after it (chain14: the first part's asked for with the screens)
    assert given[:chains[-1] + 3] == ["_tails_job", "_ahead", "_tails_job", "_ahead",
                                      "_tails_job", "_keys_job", "_facts_job", "_ahead",
                                      "_keys_job", "_facts_job"]


class _Done:
    """A job run when given (as a second process with nothing before it would have it run
    before the next is given): its result kept."""

    def __init__(self, job, args: tuple) -> None:
        self.value = job(*args)

    def get(self):
        return self.value

    def ready(self) -> bool:
        return True


@pytest.mark.parametrize("kept", [3, 1], ids=["kept", "dropped"])
def test_a_chain_job_whose_tails_were_made_ahead_only_chains_them(source, tmp_path, asked,
                                                                  monkeypatch, kept):
    """The tails of the parts after the one whose chain is asked (each event's content as the
    chain hashes it) are made by the second process behind that chain (`_tails_job`), so a
    part's chain job only chains them (db.chain.chained): no event is encoded by a chain job.
    The third package sends the first's dossiers again: the chain guessed for it (no code
    held) takes its tails, the one asked for again (its codes held) hashes nothing. Tails
    dropped to keep the memory bound (`kept` 1: each part's dropped by the next one's) are
    made again by the part's chain job. The centre is the one of a merge in turn (the chains
    made there), and no tails stay behind."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    monkeypatch.setattr(chain_jobs, "TAILS_KEPT", kept)
    monkeypatch.setattr(copier_ahead, "TAILS_AHEAD", 2)
    monkeypatch.setattr(fastcopy.Copier, "_run", lambda self, job, args: _Done(job, args))
    encoded: Counter = Counter()  # (job, part file) → events whose tails it made
    encoding: Counter = Counter()  # (job, part file) → values JSON-encoded (chain_hashing._ENCODE)
    within = [("main", "")]
    encode, chain_job = chain_hashing._ENCODE, chain_jobs._chain_job
    tails_job = getattr(chain_jobs, "_tails_job", None)

    def counting(value):
        encoding[within[-1]] += 1
        return encode(value)

    def tails_counted(make):  # db.chain.tails, or quick_tails (its JSON made once a value)
        def made(*args):
            got = make(*args)
            if got is not None and got[1]:
                encoded[within[-1]] += len(got[1])
            return got
        return made

    def running(name, job):
        def run(path, *args):
            within.append((name, Path(path).name))
            try:
                return job(path, *args)
            finally:
                within.pop()
        return run

    monkeypatch.setattr(chain_hashing, "_ENCODE", counting)
    makers = {maker: getattr(chain, maker, None) for maker in ("tails", "quick_tails")}
    for maker, make in makers.items():
        if make is not None:
            monkeypatch.setattr(chain, maker, tails_counted(make))
    monkeypatch.setattr(chain_jobs, "_chain_job", running("chain", chain_jobs._chain_job))
    if tails_job is not None:
        monkeypatch.setattr(copier_ahead, "_tails_job", running("tails", tails_job))
    packages = [tmp_path / "p1.zip", tmp_path / "p2.zip", tmp_path / "p1-again.zip"]
    derive_rows(source, packages[0], 1, 2)
    derive_rows(source, packages[1], 2, 2)
    sent_again(source, packages[2], 1, 2)
    ahead = _merged(tmp_path, "ahead.db", packages)
    assert _chains(asked) == [0, 0, 0, 50]  # the third's guess, then its own (codes held)
    tails = {part: n for (job, part), n in encoded.items() if job == "tails"}
    chains = {part: n for (job, part), n in encoded.items() if job == "chain"}
    parts = list(tails)  # in the order they were made: the operation's
    if kept == 3:
        assert chains == {}
    else:  # the first two parts' tails dropped by the next ones' before their chain
        assert len(parts) == 3 and chains == {part: tails[part] for part in parts[:2]}
    assert len(tails) == 3 and sum(tails.values()) == sum(encoded.values()) - sum(
        chains.values())  # every part's tails made once, and nothing else encoded here
    assert {job for job, _part in encoding} <= {"tails", "chain"}
    assert kept != 3 or {job for job, _part in encoding} == {"tails"}
    events = ahead.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert tails[parts[0]] + tails[parts[1]] == events  # (the third's events: the first's)
    assert chain_jobs._TAILS == {}
    monkeypatch.setattr(chain_hashing, "_ENCODE", encode)
    for maker, make in makers.items():
        if make is not None:
            monkeypatch.setattr(chain, maker, make)
    monkeypatch.setattr(chain_jobs, "_chain_job", chain_job)
    if tails_job is not None:
        monkeypatch.setattr(copier_ahead, "_tails_job", tails_job)
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 10 ** 9)
    turn = _merged(tmp_path, "turn.db", packages)
    _assert_same_centre(ahead, turn)


def test_a_chain_the_second_process_refused_is_hashed_here_by_the_one_chain_job(
        source, tmp_path, asked, monkeypatch):
    """The second process met a row it refused to hash (`_ahead` gave None): the main process
    hashes the part's chain again by `chain_jobs._chain_job`, looked up in its module as the
    second process's call is (review23 S2: the split's events step had its own name of it,
    which a patch of the module missed); the centre is the one the chains made ahead give."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    monkeypatch.setattr(fastcopy.Copier, "_run", lambda self, job, args: _Done(job, args))
    packages = [tmp_path / "p1.zip", tmp_path / "p2.zip"]
    derive_rows(source, packages[0], 1, 2)
    derive_rows(source, packages[1], 2, 2)
    ahead = _merged(tmp_path, "ahead.db", packages)
    hashed_here: list[str] = []
    chain_job = chain_jobs._chain_job

    def counted(path, *args):
        hashed_here.append(Path(path).name)
        return chain_job(path, *args)

    def refusing(self, job, args):  # the second process's chain: a row refused (None)
        return _Done(lambda *_: None, args) if job is chain_jobs._ahead else _Done(job, args)

    monkeypatch.setattr(fastcopy.Copier, "_run", refusing)
    monkeypatch.setattr(chain_jobs, "_chain_job", counted)
    here = _merged(tmp_path, "here.db", packages)
    assert len(hashed_here) == 2  # each part's chain, hashed again in the main process
    _assert_same_centre(here, ahead)
