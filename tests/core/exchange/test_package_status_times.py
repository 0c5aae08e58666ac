"""What an exchange package may carry that MotCua's own desk and import do not write (spec 9,
core.moment.unfinished_closed_reason, core.validation.latest_time): a dossier in a closed status
without its finish is refused with the import's words and the dossier's code; a reception
later than this PC's clock is another PC's wrong clock, warned at the preview, not refused."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile

import pytest

from core import dossiers as D
from core import timefmt
from core.errors import InputError
from core.exchange import export_package, import_package
from core.exchange.package import MANIFEST
from core.moment import unfinished_closed_reason
from core.transfer import import_file
from tests.core.exchange.conftest import NOW, busy_day, receive, rewrite_rows
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_hostile import rewrite
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv


def _forged(source, target, change) -> None:
    """A format-2 package whose dossier lines went through `change(record)`, checksums matched."""
    with zipfile.ZipFile(source) as old:
        lines = old.read("dossiers.jsonl").decode().splitlines()
    for number, line in enumerate(lines):
        record = json.loads(line)
        change(record)
        lines[number] = json.dumps(record, ensure_ascii=False)
    text = ("\n".join(lines) + "\n").encode()

    def member(name, data):
        if name == "dossiers.jsonl":
            return text
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["parts"]["dossiers.jsonl"]["sha256"] = hashlib.sha256(text).hexdigest()
            return json.dumps(manifest).encode()
        return data
    rewrite(source, target, member)


def _unfinished(path, target, code: str, fmt: int) -> None:
    if fmt == 2:
        def change(record):
            if record["code"] == code:
                record["fields"]["finished_at"] = None
        _forged(path, target, change)
    else:
        rewrite_rows(path, target, lambda conn: conn.execute(
            "UPDATE dossier_rows SET finished_at = NULL WHERE code = ?", [code]))


@pytest.mark.parametrize("fmt", [2, 3])
def test_a_closed_dossier_without_its_finish_is_refused_as_the_import_refuses_it(
        counter, db, tmp_path, fmt):
    codes = busy_day(counter)  # the first is finished and returned
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    export_package(counter, good, SINCE, format_version=fmt)
    _unfinished(good, bad, codes[0], fmt)
    with pytest.raises(InputError) as error:
        import_package(db, bad, dry_run=True)
    message = str(error.value)
    words = unfinished_closed_reason("returned", None)
    assert words in message and codes[0] in message and "Chưa ghi gì" in message
    # the administrator merging a centre's packages reads the status as the desk shows it:
    # "trạng thái đã đóng 'done'" alone named it by the program's internal word
    assert "trạng thái đã đóng “Đã trả kết quả” ('returned')" in message
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    # the import of a dossier file says the same of the same row
    assert import_file(counter, "units", write_csv(tmp_path / "u.csv", ["code", "name"],
                                                    [["XTD", "Xã Tri Lễ"]])).ok
    made = import_file(counter, "dossiers", write_csv(
        tmp_path / "d.csv", DOSSIERS_HEADER,
        [dossier_row(procedure_code="P.WD2", status="returned", finished_at="",
                     returned_at="")]))
    assert [e.reason for e in made.errors] == [words]


@pytest.mark.parametrize("status", ["done", "rejected", "withdrawn", "stopped"])
def test_every_closed_status_mine_writes_has_its_finish_and_passes(counter, db, tmp_path,
                                                                   status):
    """What MotCua's own desk writes is never refused: each closing action sets finished_at."""
    dossier_id, _code = receive(counter)
    at = dt.datetime(2025, 10, 20, 9, 0)
    if status == "done":
        D.finish(counter, dossier_id, at=at)
    else:
        {"rejected": D.reject, "withdrawn": D.withdraw, "stopped": D.stop}[status](
            counter, dossier_id, reason="Lý do", at=at)
    path = tmp_path / "p.zip"
    export_package(counter, path, SINCE)
    result = import_package(db, path)
    assert result.written and result.dossiers == {"new": 1}


@pytest.mark.parametrize("fmt", [2, 3])
def test_receptions_after_this_pc_s_clock_are_warned_not_refused(counter, db, tmp_path,
                                                                 monkeypatch, fmt):
    """The sender's clock ran a day ahead: its dossiers come in, the preview names them."""
    busy_day(counter)
    ahead = NOW + dt.timedelta(days=1)
    monkeypatch.setattr(timefmt, "now", lambda: ahead)
    late = [receive(counter, "Lò Văn Sử", minutes=60 * 24 + 120 + i)[1] for i in range(7)]
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    path = tmp_path / "p.zip"
    export_package(counter, path, SINCE, format_version=fmt)
    preview = import_package(db, path, dry_run=True)
    assert preview.dossiers == {"new": 10}
    warned = [w for w in preview.warnings if "thời điểm tiếp nhận sau giờ hiện tại" in w]
    assert len(warned) == 1, preview.warnings
    assert warned[0].startswith("7 hồ sơ ")
    assert ", ".join(late[:5]) + " và 2 hồ sơ khác. Có thể đồng hồ" in warned[0]
    assert late[5] not in warned[0] and "16:00 20/10/2025" in warned[0]
    merged = import_package(db, path)
    assert merged.written and any("tiếp nhận sau giờ" in w for w in merged.warnings)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 10


def test_a_clock_a_few_minutes_ahead_is_no_warning(counter, db, tmp_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW + dt.timedelta(minutes=4))
    receive(counter, minutes=8 * 60 + 4)  # 16:04 on a PC reading 16:04; here it is 16:00
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    path = tmp_path / "p.zip"
    export_package(counter, path, SINCE)
    preview = import_package(db, path, dry_run=True)
    assert preview.dossiers == {"new": 1}
    assert not [w for w in preview.warnings if "tiếp nhận sau giờ" in w]


@pytest.mark.parametrize("fmt", [2, 3])
def test_finishes_returns_and_payments_after_this_pc_s_clock_are_warned(counter, db, tmp_path,
                                                                       monkeypatch, capsys, fmt):
    """A sender whose clock ran a day ahead in the afternoon: the morning's receptions are
    right, the finish, the return and the payment it recorded later are in this PC's future.
    Each kind is said once, naming its dossiers, in the preview and in the command's dry run;
    the dossiers still come in as sent. Only receptions were warned before."""
    import main
    first, code_a = receive(counter, "Lò Văn Sử", minutes=10)
    second, code_b = receive(counter, "Hà Thị Mai", minutes=20, procedure="P.SD")
    ahead = NOW + dt.timedelta(days=1)
    monkeypatch.setattr(timefmt, "now", lambda: ahead)
    D.finish(counter, first, at=ahead - dt.timedelta(hours=2))
    D.return_result(counter, first, at=ahead - dt.timedelta(hours=1))
    from core import payments
    payments.add_payment(counter, second, amount=10000, method="cash", paid_at=ahead)
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    path = tmp_path / "p.zip"
    export_package(counter, path, SINCE, format_version=fmt)
    preview = import_package(db, path, dry_run=True)
    assert preview.dossiers == {"new": 2}
    said = {words: [w for w in preview.warnings if f"thời điểm {words} sau giờ hiện tại" in w]
            for words in ("tiếp nhận", "xử lý xong", "trả kết quả", "thanh toán")}
    assert said["tiếp nhận"] == []
    assert said["xử lý xong"] == [
        f"1 hồ sơ có thời điểm xử lý xong sau giờ hiện tại của máy này (16:00 20/10/2025, đã "
        f"cho phép đồng hồ lệch 5 phút): {code_a}. Có thể đồng hồ của máy gửi đặt sai giờ: hồ "
        "sơ vẫn được nhập như máy gửi ghi; hãy kiểm tra đồng hồ máy gửi và thời điểm xử lý "
        "xong của các hồ sơ này."]
    assert len(said["trả kết quả"]) == 1 and f": {code_a}." in said["trả kết quả"][0]
    assert len(said["thanh toán"]) == 1 and f": {code_b}." in said["thanh toán"][0]
    db_path = tmp_path / "centre.db"
    db_file = str(db_path)
    capsys.readouterr()
    assert main.main(["--db", db_file, "exchange", "import", str(path), "--dry-run",
                      "--new-db"]) == 0
    err = capsys.readouterr().err
    for words in ("xử lý xong", "trả kết quả", "thanh toán"):
        assert f"thời điểm {words} sau giờ hiện tại của máy này" in err, err
    merged = import_package(db, path)
    assert merged.written and len(merged.warnings) == len(preview.warnings)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 2
