"""The state of one package's turn in an operation (core.exchange.merge.merger._Merger): set by
`__init__` and at the start of its run, shared by every piece of it."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from core.calendar import WorkCalendar
from core.exchange import checks, signing
from core.exchange.merge.results import ExchangeResult
from core.exchange.merge.terms import Progress
from core.exchange.package import PackageReader
from core.exchange.package_span import Span
from core.exchange.store import ChoiceBook, Store

if TYPE_CHECKING:
    from core.exchange.merge.run import _Run


class _MergerState:
    """What the pieces of _Merger share. Set by `_Merger.run` before its pieces run (declared
    here for them; what each holds is said where `run` sets it):"""

    units: set[str]
    procedures: set[str]
    store: Store
    first_new_vote: int
    before_votes: int
    future: checks.FutureMoments
    sender: str
    carried: dict[str, list[tuple[str, str]]]
    me: str
    recognised: dict[str, str]
    both: list[dict]
    both_votes: list[dict]
    both_codes: dict[str, str]
    followed: dict[str, str]
    foreign: set[str]
    sent: dict[int, tuple[dict, str]]
    foreign_votes: int
    sent_codes: set[str] | None
    unsent_votes: dict[str, tuple[int, list[str]]]
    reopened: list[str]
    replaced: list[tuple[str, int, int]]
    used: set[int]  # (set by `_votes`)
    span: Span  # the days its dossiers run across (set by `_catalogue`)

    def __init__(self, db, reader: PackageReader, result: ExchangeResult, default: str | None,
                 choices: dict[str, str], progress: Progress | None):
        self.db, self.reader, self.result = db, reader, result
        self.default, self.choices, self.progress = default, choices, progress
        self.where = "bản kê"
        self.catalogue_default: str | None = None
        self.catalogue_choices: dict[str, str] = {}
        self.total = reader.records_in["dossiers.jsonl"]
        self.delta: Counter = Counter()     # shared by the packages of one operation (_Run)
        self.refresh: list[int] = []
        self.recompute_all = False
        self.run_of: _Run | None = None
        self.book: ChoiceBook  # the operation's (_Run.book)
        self.index = 0  # its place in the operation (_Run.mergers)
        self.left: tuple[list[int] | None, list[int] | None] = (None, None)
        self.copied = 0
        self.cal: WorkCalendar | None = None  # today's office hours, for a procedure's cut-off
        # this installation's days before the package, whether it held a dossier then, and
        # the package's days added that turn one of them (said: catalogue_rows._day_here)
        self.days_here: WorkCalendar | None = None
        self.days_held = False
        self.days_added: list[dict] = []
        self.new_units: set[str] = set()  # the units its catalogue step added (_catalogue)
        self.new_unit_rows: list[tuple[str, dict]] = []  # … (where read, record)
        # its differing office hours (stretches, sender, codes they govern: catalogue_rows
        # `_hours`), and the dossiers held here recomputed when they were taken
        self.hours_found: tuple[list, str, list[str] | None] | None = None  # codes None: a
        # catalogue sent on its own (no dossier), its hours said from today on
        self.hours_theirs: list | None = None  # … the package's hours (its manifest's)
        self.hours_recomputed: int | None = None
        self.hours_listing: str | None = None  # … in a preview, what taking them would change
        # the versions of held units it took (_take_units): (where, record), links unchecked
        self.taken_unit_rows: list[tuple[str, dict]] = []
        # its units read and its versions of them taken (before any package's dossiers when
        # the operation takes every package's units first: _Run.units_first)
        self.units_read = False
        self.units_taken = False

    @property
    def signature(self) -> dict:
        """The package's signature as its origin records keep it (core.exchange.signing)."""
        return signing.recorded(self.result.signature, self.reader.signed)
