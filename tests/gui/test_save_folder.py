"""Where «Lưu thành tệp PDF…» opens (walk35): the clerk's Documents, then the folder of the last
save — never the folder the program was started from (on Windows its install folder, where a
clerk could not find the receipt again, or could not write at all)."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from core.pdf.slips import build_receipt
from gui import file_dialogs, preview
from tests.core.pdf import sample
from tests.gui.clicks import click


@pytest.fixture
def receipt(db):
    sample.catalogue_only(db)
    sample.add_dossier(db, "X01-261005-0001", "X01", dt.datetime(2026, 10, 5, 8, 0))
    return build_receipt(db, "X01-261005-0001", draft=True), build_receipt(db, "X01-261005-0001")


def _preview(qtbot, receipt):
    dialog = preview.PdfPreviewDialog(None, "Giấy tiếp nhận", *receipt, "giay-tiep-nhan.pdf")
    qtbot.addWidget(dialog)
    return dialog


def test_the_first_save_opens_in_the_documents_not_the_programs_folder(
        qtbot, receipt, tmp_path, monkeypatch):
    program = tmp_path / "MotCua"  # the folder the program was started from
    program.mkdir()
    monkeypatch.chdir(program)
    asked = []
    monkeypatch.setattr(file_dialogs, "save_file_name",
                        lambda parent, caption, directory, name_filter: asked.append(directory) or "")
    click(qtbot, _preview(qtbot, receipt).save_button)
    folder, name = os.path.split(asked[0])
    assert name == "giay-tiep-nhan.pdf"
    assert folder == file_dialogs.documents_folder() and os.path.isdir(folder)
    assert os.path.abspath(folder) != str(program)


def test_the_next_save_opens_in_the_folder_of_the_last_one(qtbot, receipt, tmp_path, monkeypatch):
    chosen = tmp_path / "ho-so-thang-12"
    chosen.mkdir()
    asked = []

    def save_as(parent, caption, directory, name_filter):
        asked.append(directory)
        return str(chosen / os.path.basename(directory))
    monkeypatch.setattr(file_dialogs, "save_file_name", save_as)
    click(qtbot, _preview(qtbot, receipt).save_button)
    click(qtbot, _preview(qtbot, receipt).save_button)
    assert (chosen / "giay-tiep-nhan.pdf").exists()
    assert asked[1] == str(chosen / "giay-tiep-nhan.pdf")


def test_a_save_opens_in_the_first_folder_that_exists(tmp_path):
    """The last save's folder gone (a USB stick taken out): Documents; no Documents (a profile
    without one): the home folder."""
    last, documents, home = (str(tmp_path / n) for n in ("usb", "Documents", "home"))
    os.mkdir(home)
    assert file_dialogs.first_folder(last, documents, home) == home
    os.mkdir(documents)
    assert file_dialogs.first_folder(last, documents, home) == documents
    os.mkdir(last)
    assert file_dialogs.first_folder(last, documents, home) == last
    assert file_dialogs.first_folder("", None, home) == home
