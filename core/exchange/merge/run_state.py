"""The state of one operation over several packages (core.exchange.merge.run._Run), set once,
shared by every piece of it, and how it names a package to the clerk."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from core.exchange import compare, fastcopy
from core.exchange.merge.opening import _Opening
from core.exchange.merge.results import BatchResult, package_labels
from core.exchange.merge.room import HELD_MAX
from core.exchange.merge.terms import Progress
from core.exchange.package import PackageReader
from core.exchange.store import ChoiceBook
from core.unit_absent import Held

if TYPE_CHECKING:
    from core.exchange.merge.lines import _Line
    from core.exchange.merge.merger import _Merger


class _RunState:
    """What the pieces of _Run share: set by `__init__`, read and filled by each of them."""

    def __init__(self, db, opening: _Opening, batch: BatchResult, progress: Progress | None):
        self.db, self.opening, self.batch, self.progress = db, opening, batch, progress
        self.readers = opening.readers
        self.reader = self.readers[0]
        self.merger: _Merger | None = None
        self.options: tuple = (None, {}, None, {})
        self.delta: Counter = Counter()
        self.refresh: list[int] = []
        self.recompute_all = False
        self.hours_taken: str | None = None  # the sender whose office hours were taken
        self.total = opening.total  # said by the manifests, counted before each merge
        self.screens_given = 0  # the parts given to the copier's screen (`_verified`)
        self.done = 0
        self.copier: fastcopy.Copier | None = None
        self.attached: list[str] = []
        self.in_memory = False  # MEMORY_SCHEMA attached (it holds one of the ATTACH_MAX slots)
        self.attached_files: set[str] = set()  # parts attached as files: kept till `detach`
        self.held: list[PackageReader] = []  # merged, their files not yet removed (`release`)
        self.held_max = HELD_MAX  # … at most (import_packages: `_held_max`)
        # codes several packages bring in versions not on one line (import_packages)
        self.defer: set[str] = set()         # set aside in their packages' turn …
        self.versions: dict[str, str] = {}   # … and resolved at the end as chosen (`resolve`)
        self.deferred: dict[str, list[tuple[int, dict]]] = {}  # code: (package, record)
        self.deferred_votes: dict[int, list[dict]] = {}  # package: votes on a code set aside
        # the recode events of the dossiers re-coded here (recode.recoded_before: a dossier
        # re-coded twice), read once (_Merger._recoded_before)
        self.recoded_before: dict[tuple[str, str], list[str]] | None = None
        # code: the first package whose record of it changes what is here (records' way) and
        # that record's digest ("" when it moves this installation's on: new, changed)
        # (+ when it moved the code on in its turn, `note`: this installation's events' count
        # before the operation, None when new, and the record's events' count)
        self.met: dict[str, tuple[int, str] | tuple[int, str, int | None, tuple[int, int]]] = {}
        self.flagged: set[str] = set()  # in conflict with an earlier package's version
        # codes a package of the operation moved on in its turn, with every record met of
        # them after: counted at the end as a code set aside is (`count_lines`)
        self.moved: dict[str, _Line] = {}
        self.first_new = 0  # the operation's first new dossier id
        # the held dossiers already outside their unit's dates: they keep what they have
        # (unit_absent.held_outside, read before any package's turn; held_absent)
        self.outside_before: dict[int, Held] = {}
        self.first_vote = 0  # … and first vote id (`merge_all`)
        self.mergers: list[_Merger] = []  # those merged so far, in turn
        self.ready: dict[int, _Merger] = {}  # every one made (_Run.made), by its place
        self.units_in = False  # every package's units taken before any dossier (units_first)
        self.book = ChoiceBook(db.conn)  # the choices made before, and this operation's
        self.clashes: str | None = None  # the choice for every clash (import_packages)
        self.recoded: dict[int, list[tuple[str, str]]] = {}  # package: (its code, code here)
        # codes whose records in conflict here are both another citizen's dossier (a clash) and
        # this installation's own dossier changed elsewhere: `kinds` as met (clash or not),
        # `mixed` those known so from a first pass (import_packages), read by recode.choice
        self.kinds: dict[str, set[bool]] = {}
        self.here_first: dict[str, dict] = {}
        self.mixed: set[str] = set()
        self.both_plain: set[str] = set()  # keep both named for a record of this one's own
        # (sender, its code): (the code a later package holds it as, that package, its record)
        # — recode.teaching, known before the first package (import_packages: _Taught)
        self.taught: dict[tuple[str, str], tuple[str, int, dict]] = {}

    def kind(self, code: str, local: dict, record: dict) -> None:
        """A record in conflict with this installation's dossier of the code: whose dossier
        it is, against that dossier as first met in the operation (a package's version taken
        in its turn does not make a later record of the same citizen look like another's)."""
        here = self.here_first.setdefault(code, local)
        self.kinds.setdefault(code, set()).add(not compare.same_dossier(here, record))

    def other_citizen(self, code: str, local: dict | None, record: dict) -> bool:
        """A record of a code set aside that is merged in its turn all the same: another
        citizen's dossier (a clash) under a code whose records are also this installation's
        own versions (`mixed`), those differing among the packages (import_packages' third
        pass). Its choice is the code's (recode.choice: kept both, or left out) whatever
        version of this one's own is chosen among the others (`resolve`), never a version."""
        return code in self.mixed and local is not None and \
            not compare.same_dossier(local, record)

    def mixed_found(self) -> set[str]:
        return {code for code, kinds in self.kinds.items() if len(kinds) == 2}

    @property
    def where(self) -> str:
        return self.merger.where if self.merger else "bản kê"

    def _name(self, index: int) -> str:
        return Path(self.batch.results[index].path).name

    def _ident(self, index: int) -> str:
        return self.batch.results[index].ident

    def _called(self, ident: str) -> str:
        """A package named by its identity, as the clerk reads it: its file name (and its
        identity when another package of the operation has that name)."""
        index = next(i for i, r in enumerate(self.batch.results) if r.ident == ident)
        return package_labels(self.batch.results)[index]

    def _writer(self, entries: list[tuple[int, dict]], carriers: list[int]) -> int:
        """Of the packages bringing one version, the one it is written from (its `import`
        event, where its rows came from): the first by name, whatever the order given."""
        return min(carriers, key=lambda k: (self._first_name(entries[k][0]), entries[k][0]))

    def _first_name(self, index: int) -> str:
        """The file name a package is ordered by when a version is written from one of several:
        a package given twice (`same_as`) goes by the first's, so the first is the one counted
        (the totals leave the repeat out)."""
        result = self.batch.results[index]
        return Path(result.same_as).name if result.same_as else self._name(index)
