"""A package is not trusted before its checksums (issue 16 §3): checksums.sha256 is checked
before any field of the manifest is used, a member that does not inflate is said in words, and
a spreadsheet given instead of a package is named as one. Each refused whole, in Vietnamese,
naming the file inside the package, nothing written."""
from __future__ import annotations

import hashlib
import json
import struct
import zipfile

import pytest

import main
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, import_package
from core.exchange.package import CHECKSUMS, MANIFEST, ROWS_PART, PackageReader
from core.exchange.package.layout import SIGNATURE
from tests.core.exchange.conftest import busy_day, copied, office, with_sums
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_inflate import _offsets, inflater  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("own_temp")


def sent_by_counter(format_version: int):
    """The build of a counter's package of `busy_day` in this format (for `built_once`)."""
    def build(folder):
        counter = office(folder / "counter.db", (1, 2))
        busy_day(counter)
        path = folder / f"goi{format_version}.zip"
        export_package(counter, path, SINCE, format_version=format_version)
        counter.close()
        return path
    return build


def fresh(folder):
    """A fresh, migrated, empty database, closed (a file only, for `copied`)."""
    open_database(folder / "nhan.db").close()
    return folder / "nhan.db"


@pytest.fixture(params=[3, 2])
def sent(request, built_once, tmp_path):
    """This test's own copy of the package, made once per format for the module."""
    made = built_once(("sent", request.param), sent_by_counter(request.param))
    return copied(made, tmp_path)


@pytest.fixture
def db(built_once, tmp_path):
    """The receiving installation: this test's own copy of a fresh database made once."""
    own = tmp_path / "nhan"
    own.mkdir()
    database = open_database(copied(built_once("fresh", fresh), own))
    yield database
    database.close()


def members_of(path) -> dict:
    """The package's members, as a program before its signature wrote them (the signature, in
    the zip's comment or round 28's signature.json, left out: its own tests are
    tests/core/exchange/test_package_signature.py)."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()
                if info.filename != SIGNATURE}


def packed(members: dict, target):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def refused(db, path, *words) -> str:
    with pytest.raises(InputError) as error:
        import_package(db, path)
    said = str(error.value)
    assert "Chưa ghi gì" in said and "Traceback" not in said
    for word in words:
        assert word in said, said
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    return said


def told(manifest: dict, **change) -> bytes:
    return json.dumps({**manifest, **change}).encode()


@pytest.mark.parametrize("change", [
    {"schema_version": 999, "program_version": "9.0"},  # else: "update MotCua"
    {"format_version": 9},                             # else: "a newer format"
    {"counts": {"dossiers": 10**11}},                  # else: sizes the bulk path, the room
    {"sender_unit": "X99", "period": {"since": "2000-01-01"}},  # else: shown as the sender's
])
def test_a_manifest_damaged_or_carelessly_edited_is_refused_before_any_field_is_used(
        db, sent, tmp_path, change):
    """Its checksum left as exported: a damaged copy or a careless edit (a deliberate forgery
    would rewrite checksums.sha256 too; nothing in the package is signed)."""
    members = members_of(sent)
    members[MANIFEST] = told(json.loads(members[MANIFEST]), **change)
    said = refused(db, packed(members, tmp_path / "sua.zip"), f"tệp {MANIFEST} trong gói",
                   CHECKSUMS, "không dùng một trường nào")
    assert "cập nhật MotCua" not in said and "định dạng phiên bản" not in said


def test_no_field_of_a_manifest_that_fails_its_checksum_is_read(db, sent, tmp_path,
                                                                monkeypatch):
    """The order itself: the manifest's JSON is not even parsed before its checksum."""
    from core.exchange.package import verifying
    parsed = []
    monkeypatch.setattr(verifying.member_json, "loads", lambda *a, **k: parsed.append(a) or {})
    members = members_of(sent)
    members[MANIFEST] += b" "
    refused(db, packed(members, tmp_path / "sua.zip"), MANIFEST, CHECKSUMS)
    assert parsed == []


@pytest.mark.parametrize("line", [0, -1])
def test_changed_checksums_are_refused_naming_the_file(db, sent, tmp_path, line):
    """A part's line changed: it no longer agrees with the manifest; the manifest's line
    changed: the manifest no longer agrees with it. Neither is believed."""
    members = members_of(sent)
    lines = members[CHECKSUMS].decode().splitlines()
    lines[line] = ("1" if lines[line][0] == "0" else "0") + lines[line][1:]
    members[CHECKSUMS] = "".join(f"{text}\n" for text in lines).encode()
    said = refused(db, packed(members, tmp_path / "tong.zip"), "Gói tong.zip", CHECKSUMS)
    assert ("khác nhau cho phần" if line == 0 else f"tệp {MANIFEST} trong gói không khớp") \
        in said


@pytest.mark.parametrize("change, words", [
    (lambda text: None, ("thiếu tệp checksums.sha256",)),
    (lambda text: text + "rac\n", ("tệp checksums.sha256 trong gói hỏng", "dòng")),
    (lambda text: text + text.splitlines()[0] + "\n", ("đã ghi ở dòng trước",)),
    (lambda text: "".join(line + "\n" for line in text.splitlines()
                          if not line.endswith(MANIFEST)),
     ("không ghi mã kiểm tra của tệp manifest.json",)),
    (lambda text: text + f"{'0' * 64}  units.jsonl\n" if "units.jsonl" not in text
     else text + f"{'0' * 64}  {ROWS_PART}\n", ("nhưng gói không có tệp ấy",)),
    (lambda text: text.replace("  ", "  ../", 1), ("không phải một tệp của gói",)),
], ids=["missing", "garbage", "twice", "manifest unlisted", "absent member", "path"])
def test_checksums_of_the_wrong_shape_are_refused(db, sent, tmp_path, change, words):
    members = members_of(sent)
    text = change(members[CHECKSUMS].decode())
    if text is None:
        del members[CHECKSUMS]
    else:
        members[CHECKSUMS] = text.encode()
    refused(db, packed(members, tmp_path / "tong.zip"), *words)


def test_a_part_whose_checksum_differs_between_manifest_and_checksums_is_refused(db, sent,
                                                                                tmp_path):
    """Both files made to agree with themselves, not with each other (what a hand edit of
    one of them leaves): neither is believed."""
    members = members_of(sent)
    manifest = json.loads(members[MANIFEST])
    name = next(iter(manifest["parts"]))
    manifest["parts"][name]["sha256"] = "0" * 64
    members[MANIFEST] = json.dumps(manifest).encode()
    with_sums(members)
    refused(db, packed(members, tmp_path / "lech.zip"), MANIFEST, CHECKSUMS, f"phần {name}")


def _damage(path, target, name: str, how: str):
    """`name`'s deflate stream damaged in place: its CRC-32 changed in the directory, its
    compressed size cut to 5 bytes, or its first block made a stored block whose lengths
    disagree (zlib: "invalid stored block lengths")."""
    data, info, start, central = _offsets(path, name)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    if how == "crc":
        data[central + 16:central + 20] = struct.pack("<L", info.CRC ^ 1)
    elif how == "cut":
        data[info.header_offset + 18:info.header_offset + 22] = struct.pack("<L", 5)
        data[central + 20:central + 24] = struct.pack("<L", 5)
    else:
        data[start:start + 5] = b"\x00\x05\x00\x05\x00"
    target.write_bytes(data)
    return target


@pytest.mark.usefixtures("inflater")  # ISA-L's and zlib's
@pytest.mark.parametrize("how", ["crc", "cut", "stored"])
@pytest.mark.parametrize("name", [MANIFEST, CHECKSUMS])
def test_a_small_member_that_does_not_inflate_is_said_in_words(db, sent, tmp_path, name, how):
    """(Before: zlib's own error escaped the manifest's reading, a crash.)"""
    bad = _damage(sent, tmp_path / "hong.zip", name, how)
    said = refused(db, bad, f"Gói hong.zip bị hỏng: tệp {name} trong gói không giải nén được")
    assert not any(word in said for word in ("zlib", "Error", "Bad CRC", "invalid"))


@pytest.mark.parametrize("how, why", [("encrypted", "đặt mật khẩu"),
                                      ("method", "kiểu MotCua không đọc được")])
@pytest.mark.parametrize("name", [MANIFEST, CHECKSUMS, "part"])
def test_a_member_locked_or_packed_another_way_is_said_in_words(db, sent, tmp_path, name, how,
                                                                why):
    """zipfile's own refusals of a member (RuntimeError: a password; NotImplementedError: a
    compression method it lacks) are a damaged package too, named by its file."""
    with zipfile.ZipFile(sent) as archive:
        name = name if name != "part" else next(
            n for n in archive.namelist() if n not in (MANIFEST, CHECKSUMS))
    data, info, _start, central = _offsets(sent, name)
    if how == "encrypted":  # the general purpose flags' bit 0, in both headers
        for at in (info.header_offset + 6, central + 8):
            data[at] |= 1
    else:  # compression method 99, in both headers
        for at in (info.header_offset + 8, central + 10):
            data[at:at + 2] = struct.pack("<H", 99)
    bad = tmp_path / "khoa.zip"
    bad.write_bytes(data)
    refused(db, bad, f"Gói khoa.zip bị hỏng: tệp {name} trong gói không giải nén được", why)


def test_the_command_line_says_a_damaged_package_in_words(office_db, sent, tmp_path, capsys):
    bad = _damage(sent, tmp_path / "hong.zip", MANIFEST, "stored")
    assert main.main(["--db", str(office_db), "exchange", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Lỗi: Gói hong.zip bị hỏng: tệp {MANIFEST} trong gói không giải")
    assert "Traceback" not in err and "zlib" not in err and "Lỗi không mong muốn" not in err


@pytest.fixture
def office_db(tmp_path):
    office(tmp_path / "day.db").close()
    return tmp_path / "day.db"


def _workbook(path) -> None:
    """An Excel workbook as Excel writes one (the province's export): openpyxl's."""
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["Mã hồ sơ", "Tên thủ tục"])
    book.active.append(["H01.1-251020-0001", "Cấp giấy khai sinh"])
    book.save(path)


@pytest.mark.parametrize("name", ["tinh.xlsx", "tinh.zip"])
def test_an_excel_workbook_is_named_a_workbook_by_its_content(db, tmp_path, name):
    path = tmp_path / name
    _workbook(path)
    said = refused(db, path, f"Tệp {name} là bảng tính Excel, không phải gói trao đổi của "
                   "MotCua", "«Nhập dữ liệu…»", "Đối chiếu với hệ thống tỉnh",
                   "lệnh import hoặc reconcile")
    assert "phần lạ" not in said


@pytest.mark.parametrize("content, kind", [
    ("Mã hồ sơ,Tên thủ tục\nH01-1,Khai sinh\n".encode("utf-8-sig"), "bảng tính CSV"),
    ("Mã hồ sơ;Tên\nH01-1;A\n".encode(), "bảng tính CSV"),
    ("Mã\tTên\nH01-1\tA\n".encode("utf-16"), "bảng tính CSV"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600), "bảng tính Excel (định dạng .xls cũ"),
])
def test_a_csv_or_old_excel_file_is_named_so(db, tmp_path, content, kind):
    path = tmp_path / "tinh.zip"  # whatever its name says
    path.write_bytes(content)
    refused(db, path, f"Tệp tinh.zip là {kind}", "không phải gói trao đổi của MotCua")


def test_a_workbook_on_the_command_line_is_named_and_nothing_is_made(tmp_path, capsys):
    path = tmp_path / "xuat_tinh.xlsx"
    _workbook(path)
    new = tmp_path / "moi.db"
    assert main.main(["--db", str(new), "exchange", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Tệp xuat_tinh.xlsx là bảng tính Excel, không phải gói trao đổi" in err
    assert not new.exists()


def test_a_whole_package_still_opens(sent):
    with PackageReader(sent) as reader:
        assert reader.verified and reader.declared() == 3
    with zipfile.ZipFile(sent) as archive:  # what the writer writes: every member listed
        listed = archive.read(CHECKSUMS).decode().splitlines()
        assert sorted(line.split("  ")[1] for line in listed) == sorted(
            n for n in archive.namelist() if n not in (CHECKSUMS, SIGNATURE))
        assert all(hashlib.sha256(archive.read(line.split("  ")[1])).hexdigest()
                   == line.split("  ")[0] for line in listed)


def test_the_zip_is_closed_whatever_naming_a_workbook_raises(sent, monkeypatch):
    """Reading the `mimetype` member (to name a LibreOffice workbook) is inside the opening's
    guard: anything it raises closes the zip (a file left open stays locked on Windows)."""
    opened = []

    def broken(self):
        opened.append(self.zip)
        raise RuntimeError("hỏng")
    monkeypatch.setattr(PackageReader, "_mimetype", broken)
    with pytest.raises(RuntimeError):
        PackageReader(sent)
    assert opened and opened[0].fp is None  # closed
