"""One package merged in its turn in an operation: its catalogue, its dossiers, its votes; a
later package's aliases that name an earlier sender begin the operation again (`_Taught`)
(core.exchange.merge)."""
from __future__ import annotations

from pathlib import Path

from core import timefmt
from core.exchange import checks, recode, records
from core.exchange.merge.batches import _Batches
from core.exchange.merge.catalogue_rows import _CatalogueRows
from core.exchange.package import ROWS_PART
from core.exchange.store import Store, sender_key
from db.batches import in_chunks, marks


class _Taught(Exception):
    """A package's aliases name a sender of a package merged before it (recode.teaching): the
    operation again from its start, those known before its first package (`_Run.taught`)."""

    def __init__(self, found: dict[tuple[str, str], tuple[str, int, dict]]):
        super().__init__("aliases taught by a later package")
        self.found = found


class _Merger(_CatalogueRows, _Batches):
    def run(self, conn) -> None:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # units may name parents listed later
        calendar_added = self._catalogue(conn)
        calendar_added |= self._take_catalogue()
        now = timefmt.to_db_time(timefmt.now())
        self._open_store(conn, now)
        had_dossiers = conn.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() is not None
        # votes this import adds are never matched (_votes): the SQL fast path's neither
        self.first_new_vote = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM votes"
                                           ).fetchone()[0]
        self.before_votes = self.first_new_vote  # (first_new_vote moves on at the end)
        # the operation's new dossiers are indexed for search in one pass at its end (_Run):
        # nothing here changes a stored key (facts, which rewrite keys, run after, with the
        # triggers back)
        self.future = checks.FutureMoments()  # warned, not refused (a sender's wrong clock)
        if self.reader.rows:  # format 3: the whole part at once; format 2: as records are read
            self.future.read(self.reader.part)
        self.sender = recode.sender_of(self.reader.manifest.data)
        # the aliases the package carries of its dossiers (recode.carried: its own dossiers
        # re-coded elsewhere come back as themselves), read before its dossiers are
        self.where = f"phần {ROWS_PART}, mã cũ của các hồ sơ"
        self.carried = recode.carried(self.reader.part) if self.reader.rows else {}
        self.me = recode.own_id(conn)
        self._teaching()
        self._fresh_notes()
        self._copy_new(conn, now)
        self._dossiers(conn)
        self._votes(conn)
        self._cancel_replaced(now)
        self.result.warnings += self.future.warnings()
        if self.recognised:  # no new dossier: the sender's code of a dossier here, remembered
            self.result.warnings.append(recode.recognised_text(self.recognised))
        # new calendar days change the due times of the dossiers stored before them
        self.recompute_all = calendar_added and had_dossiers

    # The steps of `run` that set the merger up: the store it writes through, and the notes it
    # keeps of the package's records as they are merged (read by the operation's end).
    def _open_store(self, conn, now: str) -> None:
        """The store writing the package's rows, and what it checks against: the rules (same
        rules: the package's derived figures are taken as they are), the units, procedures."""
        fingerprint = records.rules_fingerprint(conn)
        self.result.fast = fingerprint == self.reader.manifest.data.get("rules_fingerprint")
        self.units = {r[0] for r in conn.execute("SELECT code FROM units")}
        self.procedures = {r[0] for r in conn.execute("SELECT code FROM procedures")}
        sender = sender_key((self.reader.manifest.data.get("installation") or {}).get("id"))
        self.store = Store(conn, now, f"{Path(self.result.path).name} (máy {sender})",
                           self.result.fast, sender, self.book)
        self.store.delta, self.store.refresh = self.delta, self.refresh

    def _fresh_notes(self) -> None:
        """The notes of this package's merge, empty before its first record."""
        self.recognised: dict[str, str] = {}  # the package's code: the code here
        # clashes kept beside this installation's (recode), written at the operation's end
        # (_Run.keep_both) with the votes the package gives them
        self.both: list[dict] = []
        self.both_votes: list[dict] = []
        self.both_codes: dict[str, str] = {}  # of `both`: its code, the code it got here
        self.followed: dict[str, str] = {}  # of its records, those on another's alias (_batch)
        # the codes of a clash whose dossier here was kept (not the package's): the package's
        # votes on them are another citizen's, never this dossier's (`vote_batch`) — the
        # package's codes, not the codes here: the package may hold its dossier re-coded here
        # as H (`_batch`'s table) and another citizen's dossier under H, a clash kept out
        # whose votes only are left out (review21)
        self.foreign: set[str] = set()
        # the records read under their code here (`_merge`'s table): {id: (record, its code
        # in the package)}, the record kept so that its id stays its own
        self.sent: dict[int, tuple[dict, str]] = {}
        self.foreign_votes = 0
        # format 1 and 2: the codes of the package's dossier records, and its votes on a code
        # whose record it does not carry that the code cannot place (recode.unsent_codes):
        # {code: (votes, the dossiers here it may be)} — a rows part (format 3) holds every
        # vote's dossier
        self.sent_codes: set[str] | None = None if self.reader.rows else set()
        self.unsent_votes: dict[str, tuple[int, list[str]]] = {}
        self.reopened: list[str] = []  # clashes kept here before, now kept both (_reopened)
        # clashes whose dossier here "theirs" replaced by another citizen's: (code, its id,
        # the votes stored before: `_cancel_replaced`)
        self.replaced: list[tuple[str, int, int]] = []

    def _teaching(self) -> None:
        """The aliases it carries that name a sender merged before it, not known at the
        operation's start: read with its records of them (checked as in its turn), and the
        operation begun again knowing them (_Taught)."""
        run = self.run_of
        if run is None or not self.carried or self.index == 0:
            return
        earlier = {m.sender for m in run.mergers[:self.index]}
        late = {key: code for key, code in recode.teaching(self.carried, earlier, self.me).items()
                if key not in run.taught}
        if not late:
            return
        wanted = sorted(set(late.values()))
        part = self.reader.part
        assert part is not None  # (self.carried: a rows part's)
        ids = [r[0] for chunk in in_chunks(wanted) for r in part.execute(
            f"SELECT id FROM dossier_rows WHERE code IN ({marks(chunk)}) ORDER BY id", chunk)]
        theirs = {}
        for line, record in self.reader.lines("dossiers.jsonl", only=ids):
            self.where = f"phần {ROWS_PART}, hồ sơ {checks.code_of(record)}"
            checks.check_dossier(record, self.units, self.procedures, line)
            theirs[record["code"]] = record
        found = {key: (code, self.index, theirs[code]) for key, code in late.items()
                 if code in theirs}
        if found:  # (each one new: the operation is begun again a few times at most)
            raise _Taught(found)
