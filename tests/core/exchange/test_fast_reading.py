"""The merge's shortcuts (docs/speed.md, "Exchange merge"): each gives what the long way gives.

- A record's texts are searched for control characters only when its JSON line shows a trace
  of one (checks.maybe_control): never a record with one let through.
- The kpi_daily marks of a batch are summed in one Counter (store._Counted): facts that fail
  half-way through leave no marks behind (the dossier's facts are then computed here).
"""
from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.exchange import checks, export_package, import_package
from core.limits import CONTROL
from tests.core.exchange.conftest import busy_day, office
from tests.core.exchange.test_exchange import SINCE
from tests.reliability.test_hostile_files import remade

# every character class that matters: controls, the two non-characters, backslash, quote,
# letters that an ASCII-only encoder escapes (\u00e0, \u1ea1), U+FFFD next to U+FFFE
TRICKY = st.sampled_from(["\x00", "\x01", "\x07", "\x08", "\x0c", "\x1b", "\x1f", "\t", "\n",
                          "\r", "\x7f", "\ufffe", "\uffff", "\ufffd", "\\", '"', "b", "f", "u",
                          "0", "à", "ạ", "ư", "\U0001fffe", " "])
TEXT = st.text(alphabet=TRICKY | st.characters(), max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6), st.booleans())
def test_a_line_without_a_trace_holds_no_control_character(texts, ascii_only):
    record = {"fields": {"note": texts[0]}, "events": [texts[1:]], "complaints": []}
    line = json.dumps(record, ensure_ascii=ascii_only,
                      separators=(",", ":") if ascii_only else (", ", ": ")
                      ).encode("utf-8", "surrogatepass")  # as json reads bytes back
    assert json.loads(line) == record
    has_control = any(CONTROL.search(t) for t in texts)
    if has_control:
        assert checks.maybe_control(line)
    if not checks.maybe_control(line):
        checks._check_texts(record)  # raises on a control character: must not


def test_every_character_the_rule_refuses_leaves_a_trace_in_its_line():
    """Every character core.limits.CONTROL matches, written either way: if the rule ever takes
    in another character, this fails until maybe_control knows its written forms too."""
    refused = [chr(c) for c in range(0x110000)
               if not 0xD800 <= c <= 0xDFFF and CONTROL.search(chr(c))]
    assert refused
    for character in refused:
        for ascii_only in (False, True):
            line = json.dumps({"note": f"a{character}b"}, ensure_ascii=ascii_only).encode()
            assert checks.maybe_control(line), (hex(ord(character)), ascii_only)


def test_a_utf16_line_is_always_searched():
    line = json.dumps({"note": "a\x01"}).encode("utf-16")
    assert json.loads(line) == {"note": "a\x01"}  # json reads it
    assert checks.maybe_control(line)


@pytest.fixture
def package(counter, tmp_path):
    busy_day(counter)
    path = tmp_path / "good.zip"
    export_package(counter, path, SINCE, format_version=2)  # its JSON lines are forged here
    return path


@pytest.mark.parametrize("inserted", [
    pytest.param('"applicant_name":"\ufffe'.encode(), id="raw U+FFFE"),
    pytest.param(b'"applicant_name":"\\uFFFF', id="escaped U+FFFF"),
    pytest.param(b'"applicant_name":"\\b', id="backspace"),
    pytest.param(b'"applicant_name":"\\f', id="form feed")])
def test_each_written_form_of_a_control_character_is_refused(db, package, tmp_path, inserted):
    with zipfile.ZipFile(package) as old:
        lines = old.read("dossiers.jsonl")
    bad = remade(package, tmp_path / "bad.zip", {"dossiers.jsonl": lines.replace(
        b'"applicant_name":"', inserted, 1)})
    with pytest.raises(InputError, match="applicant_name"):
        import_package(db, bad)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_facts_failing_half_way_leave_no_marks_behind(package, tmp_path):
    """The sender's facts of one dossier break in the middle of its marks (a span without its
    end): its facts are computed here, and kpi_daily holds exactly what a rebuild gives (the
    core conftest compares every kpi_daily with a full recomputation after each test too)."""
    with zipfile.ZipFile(package) as old:
        lines = old.read("dossiers.jsonl").decode().splitlines()
    broken = []
    for number, text in enumerate(lines):
        record = json.loads(text)
        if number == 1:
            full = json.loads(record["derived"][1])
            full["s"] = {"po": [["2025-10-21"]], "pe": [], "ro": [], "re": []}
            record["derived"][1] = json.dumps(full)
        broken.append(json.dumps(record, ensure_ascii=False))
    bad = remade(package, tmp_path / "half.zip",
                 {"dossiers.jsonl": ("\n".join(broken) + "\n").encode()})
    centre = office(tmp_path / "centre.db")
    try:
        result = import_package(centre, bad)
        assert result.fast and result.dossiers["new"] == 3
        kpi = _kpi(centre)
        from core import facts
        facts.rebuild_all(centre)
        assert _kpi(centre) == kpi and any(kpi)
    finally:
        centre.close()


def _kpi(db) -> list:
    return db.execute("SELECT * FROM kpi_daily ORDER BY unit_code, day").fetchall()


@pytest.mark.parametrize("broken", [False, True])
def test_the_collector_is_paused_only_while_packages_go_in(package, tmp_path, monkeypatch,
                                                         broken):
    """The cyclic collector is off during the merge and back on after it, a failure too."""
    import gc

    from core.exchange import store
    seen = []
    insert = store.Store.insert_new

    def watched(self, batch):
        seen.append(gc.isenabled())
        if broken:
            raise sqlite3.IntegrityError("as a constraint would")
        return insert(self, batch)
    monkeypatch.setattr(store.Store, "insert_new", watched)
    centre = office(tmp_path / "centre.db")
    try:
        assert gc.isenabled()
        if broken:
            with pytest.raises(InputError):
                import_package(centre, package)
        else:
            import_package(centre, package)
        assert seen == [False] and gc.isenabled()
    finally:
        centre.close()
