"""What is counted is what is stored (review34d of recon34's one rule, core.limits.text_length):
a text is measured as stored (NFC, the invisible format characters removed), so every path
that measures it so must store it so. Stored as typed, a purpose, a document's note or name
typed with Unikey's combining marks, or holding soft hyphens, passed the limit by its letters
and was kept with up to twice as many characters (and uncleaned: not NFC, hidden characters
in the privacy log); the kiosk cut a comment by code points, letters before the window's limit,
a tone mark torn from its vowel."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from core import components as comp
from core import intake, kiosk
from core.components import Component
from core.intake import Handed
from core.privacy import masking
from tests.core.factories import add_procedures, add_units


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def db(db_path):
    from core.database import open_database
    database = open_database(db_path)
    add_units(database)
    add_procedures(database)
    return database


def test_a_purpose_is_kept_as_it_was_counted():
    typed = nfd("Cung cấp cho công an huyện ") * 11  # 297 letters, 330 code points
    purpose = masking.full_data(typed[:-1] + "\u00ad" * 50).purpose
    assert purpose == unicodedata.normalize("NFC", typed).strip()
    assert len(purpose) <= masking.PURPOSE_MAX


def test_a_documents_name_and_note_are_kept_as_they_were_counted(db):
    name = nfd("Giấy chứng nhận quyền sử dụng đất")
    comp.save_procedure_components(db, "P.WD2", [Component(name, "original", 1, True)])
    [saved] = comp.procedure_components(db, "P.WD2")
    assert saved.name == unicodedata.normalize("NFC", name)
    dossier_id, _ = intake.receive(
        db, unit_code="U1", procedure_code="P.WD2", applicant_name="Vũ Thị Mai",
        received_at=dt.datetime(2026, 3, 2, 9, 0),
        components=[Handed(name, "original", 1, True, received=True)])
    assert [c.name for c in comp.dossier_components(db, dossier_id)] == [saved.name]
    note = nfd("Bản chụp mờ, thiếu dấu đỏ ") * 38  # 988 letters, 1,140 code points
    comp.request_supplement(db, dossier_id, reason="Giấy tờ chưa hợp lệ",
                            at=dt.datetime(2026, 3, 2, 11, 0),
                            flagged={1: ("incorrect", note + "\u200d" * 20)})
    [missing] = comp.missing_components(db, dossier_id)
    assert missing.note == unicodedata.normalize("NFC", note).strip()
    assert len(missing.note) <= 1000


def test_the_kiosk_keeps_a_comment_the_window_let_through():
    typed = nfd("Cán bộ hướng dẫn tận tình. ") * 18 + "Cảm ơn"  # 492 letters, 573 points
    assert kiosk._comment(typed) == unicodedata.normalize("NFC", typed)
    longer = nfd("ễ") * (kiosk.COMMENT_MAX + 3)
    assert kiosk._comment(longer) == "ễ" * kiosk.COMMENT_MAX  # cut by letters, marks kept
