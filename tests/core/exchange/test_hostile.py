"""Packages that are damaged, altered or hostile: refused whole, with a Vietnamese reason,
in bounded time and memory, and nothing written."""
from __future__ import annotations

import json
import time
import zipfile

import pytest

from core.errors import InputError
from core.exchange import export_package, import_package
from core.exchange.package import MANIFEST, PARTS
from db.connection import transaction
from tests.core.exchange.conftest import busy_day, with_sums
from tests.core.exchange.test_exchange import SINCE


@pytest.fixture
def package(counter, tmp_path):
    busy_day(counter)
    path = tmp_path / "good.zip"
    export_package(counter, path, SINCE, format_version=2)  # its JSON lines are forged here
    return path


def rewrite(source, target, change, sums: bool = True) -> None:
    """Copy a package member by member, `change(name, data)` returning the new bytes;
    checksums.sha256 made to match again (`sums`), as a forger who knows the format would."""
    with zipfile.ZipFile(source) as old:
        members = {i.filename: change(i.filename, old.read(i.filename)) for i in old.infolist()}
    if sums:
        with_sums(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members.items():
            new.writestr(name, data)


def refused(db, path, *words) -> str:
    with pytest.raises(InputError) as error:
        import_package(db, path)
    message = str(error.value)
    assert "Chưa ghi gì" in message
    for word in words:
        assert word in message
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    return message


def test_one_changed_byte_is_caught_by_the_checksum(db, package, tmp_path):
    bad = tmp_path / "bad.zip"
    rewrite(package, bad, lambda n, d: d.replace(b"Tr\xe1\xba\xa7n", b"Tr\xe1\xba\xa1n")
            if n == "dossiers.jsonl" else d, sums=False)
    refused(db, bad, "SHA-256", "dossiers.jsonl", "xuất lại")


def test_a_manifest_made_to_match_still_needs_valid_records(db, package, tmp_path):
    bad = tmp_path / "bad.zip"
    broken = b'{"code": "X-1", "fields": \n'

    def change(name, data):
        if name == "dossiers.jsonl":
            return broken
        if name == MANIFEST:
            manifest = json.loads(data)
            import hashlib
            manifest["parts"]["dossiers.jsonl"]["sha256"] = hashlib.sha256(broken).hexdigest()
            manifest["parts"]["dossiers.jsonl"]["records"] = manifest["counts"]["dossiers"] = 1
            return json.dumps(manifest).encode()
        return data
    rewrite(package, bad, change)
    refused(db, bad, "dossiers.jsonl, dòng 1", "JSON")


@pytest.mark.parametrize("where", ["counts", "parts"])
def test_a_manifest_whose_counts_lie_is_refused(db, package, tmp_path, where):
    # the import sized its work by the manifest's word (a package said to hold 10^11 dossiers
    # took the bulk path, dropping the centre's indexes, and its progress never moved) — fails
    # on the old code, which imported the package
    bad = tmp_path / "bad.zip"

    def change(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        if where == "counts":
            manifest["counts"]["dossiers"] = 10**11
        else:
            manifest["parts"]["votes.jsonl"]["records"] += 1
        return json.dumps(manifest).encode()
    rewrite(package, bad, change)
    part = "dossiers.jsonl" if where == "counts" else "votes.jsonl"
    refused(db, bad, f"bản kê manifest.json ghi phần {part} có", "bản kê không đúng với gói")


def test_a_record_naming_an_unknown_status_is_refused_with_its_code(db, package, tmp_path):
    import hashlib
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(package) as old:
        lines = old.read("dossiers.jsonl").decode().splitlines()
    record = json.loads(lines[1])
    record["fields"]["status"] = "vanished"
    lines[1] = json.dumps(record, ensure_ascii=False)
    text = ("\n".join(lines) + "\n").encode()

    def change(name, data):
        if name == "dossiers.jsonl":
            return text
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["parts"]["dossiers.jsonl"]["sha256"] = hashlib.sha256(text).hexdigest()
            return json.dumps(manifest).encode()
        return data
    rewrite(package, bad, change)
    refused(db, bad, "dòng 2", record["code"], "vanished")


def test_a_value_of_the_wrong_kind_is_refused_not_a_crash(db, package, tmp_path):
    import hashlib
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(package) as old:
        lines = old.read("dossiers.jsonl").decode().splitlines()
    record = json.loads(lines[0])
    record["fields"]["applicant_phone"] = ["0912", {"x": 1}]
    record["events"][0][1] = {"actor": "?"}
    lines[0] = json.dumps(record, ensure_ascii=False)
    text = ("\n".join(lines) + "\n").encode()

    def change(name, data):
        if name == "dossiers.jsonl":
            return text
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["parts"]["dossiers.jsonl"]["sha256"] = hashlib.sha256(text).hexdigest()
            return json.dumps(manifest).encode()
        return data
    rewrite(package, bad, change)
    refused(db, bad, "sai kiểu")


def test_a_path_outside_the_package_is_refused(db, package, tmp_path):
    bad = tmp_path / "evil.zip"
    rewrite(package, bad, lambda n, d: d)
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr("../../etc/cron.d/evil", "* * * * * root rm -rf /")
    refused(db, bad, "phần lạ", "../../etc/cron.d/evil")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(db, package, tmp_path):
    bomb = tmp_path / "bomb.zip"
    rewrite(package, bomb, lambda n, d: d)
    with zipfile.ZipFile(bomb) as archive:
        members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    members["votes.jsonl"] = b" " * 50_000_000  # 50 MB that compress to ~50 kB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    start = time.perf_counter()
    refused(db, bomb, "zip bomb", "votes.jsonl")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("content, words", [
    (b"not a zip at all", ("không đọc được tệp nén",)),
    (b"", ("tệp rỗng", "chép lại gói")),
    (b"SQLite format 3\x00" + bytes(100), ("tệp cơ sở dữ liệu, không phải gói",)),
])
def test_what_is_not_a_package_is_named_so(db, tmp_path, content, words):
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    refused(db, path, *words)


def test_a_package_cut_short_in_the_copy_says_so_not_that_it_is_no_package(db, package,
                                                                            tmp_path):
    """The USB stick pulled out during the copy: the clerk must hear 'copy it again', not 'this
    is not a MotCua package' (which sends them looking for another file)."""
    cut = tmp_path / "cut.zip"
    data = package.read_bytes()
    for size in (len(data) // 2, len(data) - 10):
        cut.write_bytes(data[:size])
        message = refused(db, cut, "cắt cụt", "chép lại gói")
        assert "không phải gói" not in message


def test_a_package_without_manifest_or_of_another_format(db, package, tmp_path):
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(bare, "w") as archive:
        for name in PARTS:
            archive.writestr(name, "")
    refused(db, bare, "thiếu bản kê")
    other = tmp_path / "other.zip"
    rewrite(package, other, lambda n, d: json.dumps({"format": "x"}).encode() if n == MANIFEST
            else d)
    refused(db, other, "không phải của gói trao đổi MotCua")
    newer = tmp_path / "newer.zip"
    rewrite(package, newer, lambda n, d: d.replace(b'"format_version": 2',
                                                   b'"format_version": 9') if n == MANIFEST else d)
    said = refused(db, newer, "Hãy cập nhật MotCua")
    assert "định dạng phiên bản 9" in said
    later = tmp_path / "later.zip"  # which program to install, when the package says it
    rewrite(newer, later, lambda n, d: d.replace(b'"program_version": "', b'"program_version": "9.')
            if n == MANIFEST else d)
    said = refused(db, later, "gói do MotCua 9.", "lên bản 9.", "hoặc mới hơn")


def test_a_missing_package_file(db, tmp_path):
    with pytest.raises(InputError, match="Không tìm thấy tệp gói"):
        import_package(db, tmp_path / "none.zip")


def test_a_folder_is_named_a_folder_not_a_missing_file(db, tmp_path):
    folder = tmp_path / "Gói tháng 1"
    folder.mkdir()
    with pytest.raises(InputError, match="là một thư mục, không phải tệp gói") as caught:
        import_package(db, folder)
    assert "Không tìm thấy" not in str(caught.value)


def test_an_unreadable_package_says_why_not_that_it_is_no_package(db, package, tmp_path,
                                                                   monkeypatch):
    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(zipfile, "ZipFile", locked)
    with pytest.raises(InputError, match="không đọc được tệp \\(") as caught:
        import_package(db, package)
    assert "không phải gói" not in str(caught.value)


@pytest.mark.parametrize("sql,words", [
    # 31/12/9999 23:59: the year SQLite reads but the calendar computes no due time in; the
    # import crashed ("ngày nằm ngoài phạm vi lịch làm việc") when the due time was recomputed
    ("UPDATE dossier_rows SET received_at = 253402300740", ("received_at", "'9999-12-31")),
    ("UPDATE event_rows SET at = -2195913600", ("lịch sử xử lý", "'1900-06-01")),
])
def test_a_moment_beyond_the_program_s_years_is_refused_with_its_dossier(db, counter, tmp_path,
                                                                         sql, words):
    from tests.core.exchange.conftest import rewrite_rows
    busy_day(counter)
    good, bad = tmp_path / "good3.zip", tmp_path / "year.zip"
    export_package(counter, good, SINCE)

    def spoil(conn):  # a hand edit past the sealed history, every checksum then made to match
        sealed = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'events_sealed_final'"
                              ).fetchone()[0]
        conn.execute("DROP TRIGGER events_sealed_final")
        table = sql.split()[1]
        conn.execute(f"{sql} WHERE id = (SELECT MIN(id) FROM {table})")
        conn.execute(sealed)
    rewrite_rows(good, bad, spoil)
    with transaction(db) as conn:  # a holiday the sender lacks: the due times are recomputed
        conn.execute("INSERT INTO calendar(date, kind, name) VALUES ('2025-12-24', 'holiday', "
                     "'Nghỉ thử')")
    message = refused_keeping_calendar(db, bad, *words, "1901–2099")
    assert "Traceback" not in message


def refused_keeping_calendar(db, path, *words) -> str:
    with pytest.raises(InputError) as error:
        import_package(db, path)
    message = str(error.value)
    assert "Chưa ghi gì" in message
    for word in words:
        assert word in message
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    return message


@pytest.mark.parametrize("key", ["held_before", "office_hours", "sender_note"])
def test_a_lone_surrogate_in_the_manifest_is_refused_in_words_not_a_crash(db, package, tmp_path,
                                                                          key):
    """break33: `"held_before": "\\udcff"` (valid JSON: an escaped half of a UTF-16 pair, in
    any key, new or unknown) crashed the import with UnicodeEncodeError when the package's
    identity was hashed: «Lỗi không mong muốn», a crash log. Refused in words, nothing written,
    the character never printed."""
    bad = tmp_path / "nua.zip"

    def change(name, data):
        if name != MANIFEST:
            return data
        return data.decode().rstrip()[:-1].encode() + f', "{key}": "x\\udcff"}}'.encode()
    rewrite(package, bad, change)
    for dry_run in (True, False):
        with pytest.raises(InputError) as error:
            import_package(db, bad, dry_run=dry_run)
        message = str(error.value)
        assert "bản kê manifest.json có ký tự không hợp lệ (mã U+DCFF, một nửa cặp" in message
        assert "Chưa ghi gì" in message and "\udcff" not in message
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
