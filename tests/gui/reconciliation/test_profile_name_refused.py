"""«Lưu mẫu cột…» under a name the program refuses ("national", the built-in profile's): the
refusal came in a box titled "MotCua", and the clerk had to press «Lưu mẫu cột…» again and type
the name from nothing. The box is titled as the step, and the name is asked again, the name just
typed in the line to correct, until saved or cancelled."""
from __future__ import annotations

from core.transfer.profiles import list_profiles
from gui import file_dialogs, widgets
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401


def answers(monkeypatch, *texts) -> list[str]:
    """The next name dialogs answered with `texts` in turn (None: cancelled); returns what the
    line held when each opened."""
    seen: list[str] = []
    todo = list(texts)

    def answer(box) -> bool:
        seen.append(box.textValue())
        text = todo.pop(0)
        if text is None:
            return False
        box.setTextValue(text)
        return True
    monkeypatch.setattr(widgets, "run_input", answer)
    return seen


def test_a_refused_name_is_said_and_asked_again(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                monkeypatch, message_boxes):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    seen = answers(monkeypatch, "national", "Mẫu tỉnh Lạng Sơn")
    click(qtbot, dialog.mapping.save_button)
    assert [(kind, title) for kind, title, _ in message_boxes] == [("warning", "Lưu mẫu cột")]
    assert "national" in message_boxes[0][2] and "tên khác" in message_boxes[0][2]
    assert seen == ["", "national"]  # asked again with the name to correct
    assert [p.name for p in list_profiles(office)] == ["national", "Mẫu tỉnh Lạng Sơn"]
    assert dialog.mapping.profiles.currentData() == "Mẫu tỉnh Lạng Sơn"


def test_cancelling_the_second_ask_saves_nothing(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                 monkeypatch, message_boxes):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    seen = answers(monkeypatch, "national", None)
    click(qtbot, dialog.mapping.save_button)
    assert seen == ["", "national"]
    assert [p.name for p in list_profiles(office)] == ["national"]
