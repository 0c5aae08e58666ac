"""A package's catalogue rows: those this installation lacks added, those it holds differently
named, and taken when the clerk chose the package's (core.exchange.merge)."""
from __future__ import annotations

import datetime as dt

from core import timefmt
from core.calendar import load_calendar
from core.exchange import catalogue as cat
from core.exchange import checks, office_hours, records
from core.exchange.merge.merger_state import _MergerState


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
        for part, kind, columns, key in (
                ("procedures.jsonl", "procedures", records.PROCEDURE_COLUMNS, "code"),
                ("calendar.jsonl", "calendar", records.CALENDAR_COLUMNS, "date")):
            added_days |= self._rows(conn, part, kind, columns, key)
        for said in (cat.days_added_warning(self.days_added),
                     office_hours.warning(self.db, self.reader.manifest.data.get(
                         office_hours.MANIFEST_KEY))):
            self.result.warnings += [said] if said else []
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
            elif mine != record:
                self.result.catalogue[f"{kind}_different"] += 1
                self.result.catalogue_diffs.append(cat.diff(kind, record[key], mine, record))
        return added

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
        self.result.warnings.append(cat.day_choice_warning(record, here.day_reason(day)))
        # shown as it stands here, not as a row of the table (no row of it is stored here)
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
                cat.take_theirs(self.db, item)
                self.result.catalogue_taken.append(item.item)
                if item.kind == "procedures":
                    self._warn_cutoff(item.theirs)
        return bool(self.result.catalogue_taken)

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
