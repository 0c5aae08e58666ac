"""A package's catalogue rows: those this installation lacks added, those it holds differently
named, and taken when the clerk chose the package's (core.exchange.merge)."""
from __future__ import annotations

import datetime as dt

from core import recompute, timefmt
from core.calendar import load_calendar
from core.exchange import catalogue as cat
from core.exchange import checks, office_hours, records
from core.exchange.merge.merger_state import _MergerState
from core.exchange.package_span import Span
from core.exchange.store import sender_key


class _CatalogueRows(_MergerState):
    """_Merger's catalogue."""

    def _catalogue(self, conn) -> bool:
        """Add the catalogue rows this installation lacks; differing ones stay ours (the
        catalogue is the administrator's) and are named. The units first (`unit_rows`),
        unless the operation took every package's units before any dossier (_Run's
        units_first). True when calendar days came in."""
        if not self.units_read:
            self.unit_rows(conn)
        added_days = False
        self.span = Span(self.reader)
        for part, kind, columns, key in (
                ("procedures.jsonl", "procedures", records.PROCEDURE_COLUMNS, "code"),
                ("calendar.jsonl", "calendar", records.CALENDAR_COLUMNS, "date")):
            added = self._rows(conn, part, kind, columns, key)
            added_days |= added and kind == "calendar"
        for said in (cat.days_added_warning(self.days_added),):
            self.result.warnings += [said] if said else []
        self._hours()
        self.span.close()
        return added_days

    def unit_rows(self, conn) -> None:
        """The package's units: those this installation lacks added, their code, name and
        dates held to the catalogue's rules here (cat.check_new_unit), their links once every
        package of the operation is in (_Run's unit_links); differing ones named."""
        self._rows(conn, "units.jsonl", "units", records.UNIT_COLUMNS, "code")
        said = cat.new_units_warning([record for _, record in self.new_unit_rows])
        self.result.warnings += [said] if said else []
        self.units_read = True

    def _rows(self, conn, part: str, kind: str, columns: tuple[str, ...], key: str) -> bool:
        """One kind of the package's catalogue rows read; True when a row was added."""
        added = False
        ours = {r[key]: r for r in cat.stored_records(conn, kind)}
        seen: dict[str, str] = {}
        for number, record in enumerate(self.reader.records(part), 1):
            self.where = self.reader.place(part, number)
            checks.check_catalogue(record, columns, key)
            checks.check_once(seen, kind, record[key], self.where)
            mine = ours.get(record[key])
            if mine is None and kind == "calendar":
                mine = self._day_here(conn, record)
            if mine is None:
                self._add_row(conn, kind, record, columns)
                added = True
            elif mine != record and (kind != "calendar" or self._matters(record)):
                self.result.catalogue[f"{kind}_different"] += 1
                self.result.catalogue_diffs.append(cat.diff(kind, record[key], mine, record))
                if kind == "calendar" and record[key] not in ours:  # what each choice does
                    self.result.warnings.append(cat.day_choice_warning(
                        record, self.days_here.day_reason(  # type: ignore[union-attr]
                            dt.date.fromisoformat(record["date"]))))
        return added

    def _matters(self, record: dict) -> bool:
        """A calendar day the package holds otherwise, turning a day off here into a working
        day or back (this installation's row of it, or its calendar's day where it has no row:
        `_day_here`), is a difference only when one of the package's
        dossiers runs across it (package_span): a commune's local day off of August is not
        asked about again with every later month's package, whose due times it moves none of;
        kept as this installation's, as by default (office hours are judged the same way). So
        is a day of the same kind on both sides, named otherwise: it moves no due time, and
        was asked about with every package of every commune naming a holiday its own way.
        A package of no dossier at all (a catalogue sent on its own, to be taken) lists every
        day it holds otherwise, as before round 33: none would have been said."""
        try:
            return self.span.empty() or self.span.across(dt.date.fromisoformat(record["date"]))
        except (TypeError, ValueError):
            return True  # a date the calendar cannot read: listed, as before

    def _hours(self) -> None:
        """The package's office hours where they differ from this installation's on the
        reception days of its dossiers (a package of none: from today on, `_hours_ahead`):
        said, listed as a difference the clerk may take (hours:<sender>), and in a preview what
        taking them would change."""
        theirs = self.reader.manifest.data.get(office_hours.MANIFEST_KEY)
        sender = sender_key((self.reader.manifest.data.get("installation") or {}).get("id"))
        if self.span.empty():
            self._hours_ahead(theirs, sender)
            return
        found = office_hours.governing(self.db, theirs, self.span)
        if found is None:
            return
        stretches, here, package = found
        self._hours_item(theirs, sender, here, package, office_hours.taken_from(stretches))
        # said once its dossiers are in (`hours_said`), with how many of them the hours move
        self.hours_found = (stretches, sender, [code for s in stretches
                                                for code in self.span.codes(s.start, s.end)])

    def _hours_ahead(self, theirs, sender: str) -> None:
        """A catalogue sent on its own (no dossier): its hours govern none of its dossiers but
        the sender's to come (spec 2.1), so they are said, and takeable, where they differ from
        today on (office_hours.ahead: from today, or the later day they first differ)."""
        found = office_hours.ahead(self.db, theirs, timefmt.now().date())
        if found is None:
            return
        stretch, here, package = found
        self._hours_item(theirs, sender, here, package, stretch.start)
        self.hours_found = ([stretch], sender, None)  # said by `hours_said`: no count

    def _hours_item(self, theirs, sender: str, here: list, package: list, start: dt.date
                    ) -> None:
        """The hours' catalogue line (taken from `start`), and in a preview what taking them
        would change (in full only when chosen: `_hours_listing`)."""
        item = cat.CatalogueDiff(office_hours.KIND, sender, {"hours": office_hours.carried(self.db)},
                                 {"hours": theirs, "from": start.isoformat()},
                                 [("Giờ làm việc", office_hours.shown(here),
                                   office_hours.shown(package))])
        self.result.catalogue["hours_different"] += 1
        self.result.catalogue_diffs.append(item)
        self.hours_theirs = theirs
        # worked out before the package's dossiers are in: those held here
        self.hours_listing = self._hours_listing(item) if self.result.dry_run else None
        item.said = self.hours_listing or ""  # (the preview's row shows it on hover)

    def _hours_listing(self, item: cat.CatalogueDiff) -> str:
        """In a preview, what taking the package's hours would change: in full (the settings
        screen's preview of every held dossier it recomputes, the operation's bar busy and its
        Huỷ heard) when the clerk chose to take them, else the versions and a count."""
        theirs, start = item.theirs["hours"], dt.date.fromisoformat(item.theirs["from"])
        if cat.choice_of(item, self.catalogue_default, self.catalogue_choices) != cat.THEIRS:
            return office_hours.listing(self.db, theirs, start, item.key)
        return office_hours.impact_text(self.db, theirs, start, self._busy)

    def _busy(self, _done: int, _total: int) -> object:
        """A pass of the office hours' (a count over thousands of dossiers, no part of the
        bar's phases) as the operation's progress: its bar busy, its Huỷ heard (False)."""
        outer = None if self.run_of is None else self.run_of.progress
        return True if outer is None else outer(0, 0)

    def hours_said(self, conn) -> None:
        """The package's differing hours, said once every package's dossiers are merged and
        the clashes kept both written (_Run's operation end): of those they govern, the ones
        whose due time here differs from the one by the sender's hours (or, the hours taken,
        what was recomputed)."""
        if self.hours_found is None:
            return
        stretches, sender, codes = self.hours_found
        if self.hours_recomputed is not None:  # taken: what it changes (a preview) or did
            self.result.warnings.append(self.hours_listing or office_hours.taken_text(
                office_hours.taken_from(stretches), self.hours_recomputed))
            return
        if codes is None:  # a catalogue sent on its own: from which day they differ
            self.result.warnings.append(office_hours.ahead_warning(stretches[0], sender))
            self.result.warnings += [self.hours_listing] if self.hours_listing else []
            return
        ids = list(records.ids_by_code(conn, self._hours_codes(conn, codes)).values())
        self.result.warnings.append(office_hours.warning(stretches, sender, office_hours.moved(
            self.db, ids, self.hours_theirs, self._busy)))
        self.result.warnings += [self.hours_listing] if self.hours_listing else []

    def _hours_codes(self, conn, codes: list[str]) -> list[str]:
        """The package's codes as its dossiers are held here: one re-coded at a clash under
        its code here (recode.aliases, or followed or recognised in this operation), not the
        other dossier holding the sender's code; one kept both in this operation under the
        code it was given (keep_both: `both_codes`), left out only when none could be given
        (a preview whose codes cannot be issued here: nothing of it is held)."""
        from core.exchange import recode
        table = {**recode.aliases(conn, self.sender, codes), **self.followed, **self.recognised}
        aside = {record.get("code") for record in self.both}
        return [self.both_codes[code] if code in aside else table.get(code, code)
                for code in codes if code not in aside or code in self.both_codes]

    def _day_here(self, conn, record: dict) -> dict | None:
        """This installation's day where the package brings a calendar row it has no row of:
        None (the row is added) when the day works here as in the package or no dossier is
        held here yet (nothing here moves; said all the same, `days_added`), else the day as it
        stands here, a difference kept unless chosen. One installation's own day off (a commune's local holiday) added
        silently moved the due times of every other unit's dossiers at the centre, away from
        what their own installations computed and printed (spec 2.1: the office's calendar)."""
        if self.days_here is None:
            self.days_here = load_calendar(self.db)
            self.days_held = conn.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() is not None
        here = self.days_here
        try:
            day = dt.date.fromisoformat(record["date"])
            working = here.is_working_day(day)
        except (TypeError, ValueError):
            return None  # a row checks.check_catalogue let through and the calendar cannot read
        if working == (record["kind"] == "workday"):
            return None
        if not self.days_held:  # added, and said: every unit's dossiers imported later move
            self.days_added.append(record)
            return None
        # said with what each choice does once listed (`_catalogue`); shown as it stands
        # here, not as a row of the table (no row of it is stored here)
        return {"date": record["date"], "kind": "Ngày làm việc" if working else "Ngày nghỉ",
                "name": None if working else here.day_reason(day)}

    def _add_row(self, conn, kind: str, record: dict, columns: tuple[str, ...]) -> None:
        """A row this installation lacks, written; a new unit checked and remembered."""
        if kind == "units":
            cat.check_new_unit(record)
            self.new_unit_rows.append((self.where, record))
            self.new_units.add(record["code"])
        cat.insert_row(conn, kind, record, columns)
        self.result.catalogue[f"{kind}_new"] += 1
        if kind == "procedures":
            self._warn_cutoff(record)

    def _take_catalogue(self) -> bool:
        """The differing rows the clerk chose to take from the package, after every new row is
        in (a unit may name a parent the package brings); its units' unless taken already
        (`take_units`). True when one was taken."""
        if not self.units_taken:
            self.take_units()
        for item in self.result.catalogue_diffs:
            if item.kind != "units" and self._chosen(item):
                self.where = f"danh mục, {item.title()}"
                if item.kind == office_hours.KIND:
                    self._hours_taken(item)
                cat.take_theirs(self.db, item)
                self.result.catalogue_taken.append(item.item)
                if item.kind == "procedures":
                    self._warn_cutoff(item.theirs)
        return bool(self.result.catalogue_taken)

    def _hours_taken(self, item: cat.CatalogueDiff) -> None:
        """The dossiers held here that the package's hours govern once taken, recomputed with
        the operation's (as the settings screen's save recomputes them); one sender's hours an
        operation: two senders' would each undo the other's."""
        run = self.run_of
        if run is not None:
            if run.hours_taken not in (None, item.key):
                raise checks.BadRecord(
                    f"đã lấy giờ làm việc của máy {run.hours_taken} trong lần nhập này; mỗi lần "
                    "nhập chỉ lấy giờ làm việc của một máy. Hãy chỉ đánh dấu một dòng Giờ làm "
                    "việc (dòng lệnh: một --catalogue-item hours:…=theirs)")
            run.hours_taken = item.key
        held = recompute.dossiers_received_from(self.db, dt.date.fromisoformat(item.theirs["from"]))
        self.refresh += held
        self.hours_recomputed = len(held)

    def take_units(self) -> None:
        """The package's versions of held units the clerk chose, written with their links
        unchecked (cat.take_theirs): those are checked once every package of the operation is
        in (_Run's unit_links: `taken_unit_rows`), so a parent a later package brings passes."""
        for item in self.result.catalogue_diffs:
            if item.kind == "units" and self._chosen(item):
                self.where = f"danh mục, {item.title()}"
                cat.take_theirs(self.db, item)
                self.result.catalogue_taken.append(item.item)
                self.taken_unit_rows.append((self.where, item.theirs))
        self.units_taken = True

    def _chosen(self, item: cat.CatalogueDiff) -> bool:
        return cat.choice_of(item, self.catalogue_default, self.catalogue_choices) == cat.THEIRS

    def _warn_cutoff(self, record: dict) -> None:
        """A procedure the package brings in with a cut-off after our office hours' end."""
        if self.cal is None:
            self.cal = load_calendar(self.db).governing(timefmt.now().date())
        warning = cat.late_cutoff_warning(self.cal, record)
        if warning:
            self.result.warnings.append(warning)
