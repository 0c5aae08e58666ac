"""Issue 10 §4: exports don't attack the spreadsheet that opens them; logs don't leak.

A CSV cell Excel would run as a formula is written as text and comes back unchanged; a crash
log never holds a citizen's name, phone, address or ID number, even when a library put them in
its exception message.
"""
from __future__ import annotations

import csv
import datetime as dt

import pytest

import main
from core import crashlog, dossiers, paths
from core.privacy.masking import full_data
from core.transfer import export_file, import_file
from core.transfer.csv_files import quote, unquote

NAME, PHONE, ADDRESS, ID_NO = "Vũ Thị Mai", "0912345678", "Thôn Bản Chu, xã Tân Đoàn", "001190012345"
TRICKY = ["=HYPERLINK(\"http://x.example\",\"Bấm\")", "+84 cộng", "-Nguyễn Văn A", "@SUM(A1:A9)",
          "'=đã có nháy", "'bình thường", "''+hai nháy", "Trần Thị Bình", "=1+1"]
# as applicants' names: a name needs a letter (core.validation), the formula stays at its start
NAMES = [v if any(c.isalpha() for c in v) else v + " An" for v in TRICKY]


@pytest.mark.parametrize("value", TRICKY + ["\t=tab", "\rCR", "'", "''", "", "-", "a=b", "'\t"])
def test_quote_makes_formula_cells_text_and_unquote_gives_them_back(value):
    quoted = quote(value)
    assert unquote(quoted) == value
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert quoted == "'" + value
    assert not (quoted[:1] in "=+-@\t\r" and quoted)  # nothing Excel would evaluate


def test_numbers_are_never_quoted():
    assert quote(-5) == -5 and quote(3.5) == 3.5


def _office(db):
    from tests.core.factories import add_procedures, add_units
    add_units(db)
    add_procedures(db)


def test_csv_export_defuses_formulas_and_import_reads_them_back_unchanged(db, tmp_path, db_path):
    _office(db)
    received = dt.datetime(2025, 1, 2, 8, 0)
    made = []
    for n, name in enumerate(NAMES):
        dossier_id, code = dossiers.create_dossier(
            db, unit_code="U1", procedure_code="P.SD", applicant_name=name, received_at=received,
            applicant_phone="+84912345678", applicant_address=TRICKY[-1 - n])
        dossiers.add_payment(db, dossier_id, amount=1000, method="cash", reference=TRICKY[n],
                             paid_at=received + dt.timedelta(minutes=5))
        dossiers.add_vote(db, unit_code="U1", rating="satisfied", dossier_id=dossier_id,
                          comment=TRICKY[n], voted_at=received + dt.timedelta(minutes=10))
        made.append(code)
    files = {kind: tmp_path / f"{kind}.csv" for kind in ("units", "procedures", "dossiers",
                                                           "payments", "votes")}
    full = full_data("Chuyển sang máy khác")  # whole phones: the file goes to another database
    for kind, path in files.items():
        export_file(db, kind, path, full=full)
    with open(files["dossiers"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), value
    assert {r["applicant_name"] for r in rows} >= {"'=1+1 An", "'+84 cộng", "''=đã có nháy", "'bình thường"}
    assert rows[0]["applicant_phone"] == "'+84912345678"

    from core.database import open_database
    other = open_database(tmp_path / "other.db")
    for kind, path in files.items():
        result = import_file(other, kind, path)
        assert result.ok, result.errors[:3]
    query = ("SELECT d.code, d.applicant_name, d.applicant_phone, d.applicant_address, p.reference, "
             "v.comment FROM dossiers d JOIN payments p ON p.dossier_id = d.id "
             "JOIN votes v ON v.dossier_id = d.id ORDER BY d.code")
    assert other.execute(query).fetchall() == db.execute(query).fetchall()
    assert [r[1] for r in other.execute(query)] == NAMES  # codes follow the order of creation
    for kind, path in files.items():  # and importing again changes nothing
        assert import_file(other, kind, path).added == 0
    other.close()


# ----- crash logs ----------------------------------------------------------------------------
@pytest.fixture
def dossier(db):
    _office(db)
    dossier_id, code = dossiers.create_dossier(
        db, unit_code="U1", procedure_code="P.WD2", applicant_name=NAME, applicant_phone=PHONE,
        applicant_address=ADDRESS, applicant_id_no=ID_NO, received_at=dt.datetime(2025, 1, 2, 8))
    return code


def _logs() -> list:
    folder = paths.log_dir()
    return sorted(folder.glob("crash-*.log")) if folder.exists() else []


def _assert_no_personal_data(text: str) -> None:
    for value in (NAME, PHONE, ADDRESS, ID_NO, "Mai", "912345678", "Bản Chu"):
        assert value not in text, value


def test_a_library_crash_quoting_a_citizen_leaves_no_personal_data(dossier, db_path, tmp_path,
                                                                   monkeypatch, capsys):
    from reportlab.platypus.doctemplate import LayoutError

    from core.pdf import slips

    def layout_fails(story, title, draft):  # what reportlab said about a 3,600-character address
        raise LayoutError(f"Flowable <Table 1 rows> with cell(0,0) containing '<Para>{NAME}' "
                          f"{ADDRESS} {PHONE} CCCD {ID_NO} too large on page 1")
    monkeypatch.setattr(slips, "render_a5", layout_fails)
    code = main.main(["--db", str(db_path), "slip", "receipt", dossier, "--out",
                      str(tmp_path / "r.pdf")])
    assert code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and NAME not in err
    [log] = _logs()
    text = log.read_text(encoding="utf-8")
    assert "LayoutError" in text and "layout_fails" in text  # still useful to a developer
    _assert_no_personal_data(text)


def test_our_own_or_pythons_messages_are_redacted(dossier, db_path, tmp_path, monkeypatch):
    from core.pdf import slips

    def bug(story, title, draft):  # a bug of ours that puts the applicant in its message
        raise ValueError(f"không dàn trang được cho {NAME}, {ADDRESS}, điện thoại {PHONE}, "
                         f"định danh {ID_NO}")
    monkeypatch.setattr(slips, "render_a5", bug)
    assert main.main(["--db", str(db_path), "slip", "receipt", dossier, "--out",
                      str(tmp_path / "r.pdf")]) == 1
    [log] = _logs()
    text = log.read_text(encoding="utf-8")
    assert "ValueError: không dàn trang được cho" in text
    _assert_no_personal_data(text)


def test_redact_hides_quotes_digits_and_emails():
    text = crashlog.redact("no such column: 'Vũ Thị Mai' phone +84 912 345 678, mai@example.vn")
    assert text == "no such column: […] phone […], […]"


def test_two_crashes_in_one_second_get_two_logs():
    def crash(message):
        try:
            raise RuntimeError(message)
        except RuntimeError as exc:
            return crashlog.write(exc)
    first, second = crash("một"), crash("hai")
    assert first != second
    assert "một" in first.read_text(encoding="utf-8") and "hai" in second.read_text(encoding="utf-8")
    assert len(_logs()) == 2


def test_a_chained_exception_is_scrubbed_at_every_link():
    from reportlab.platypus.doctemplate import LayoutError
    try:
        try:
            raise LayoutError(f"cell containing {NAME}")
        except LayoutError as inner:
            raise RuntimeError("in ra giấy tiếp nhận thất bại") from inner
    except RuntimeError as exc:
        text = crashlog.describe(exc)
    assert "LayoutError" in text and "in ra giấy tiếp nhận thất bại" in text and NAME not in text


def test_stored_values_are_never_in_a_crash_log_even_unquoted(dossier, db):
    from core.pdf.slip_data import load_dossier
    load_dossier(db, dossier)  # printing a slip registers the values it prints
    try:
        raise KeyError(f"{NAME} {ADDRESS}")
    except KeyError as exc:
        _assert_no_personal_data(crashlog.describe(exc))


def test_a_profiles_column_named_like_a_formula_is_text_and_reads_back(db, tmp_path):
    """A profile's column names come from the province's file the clerk mapped: the header row
    of an export through it is written as defused as every cell, and imports again."""
    from core.transfer.mapped import import_mapped
    from core.transfer.profile_export import export_profile
    from core.transfer.profiles import NATIONAL_COLUMNS, get_profile, save_profile

    _office(db)
    dossiers.create_dossier(db, unit_code="U1", procedure_code="P.SD", applicant_name=NAME,
                            received_at=dt.datetime(2025, 1, 2, 8, 0))
    columns = dict(NATIONAL_COLUMNS, applicant_name='=HYPERLINK("http://x.example","Bấm")',
                   code="@Mã hồ sơ", procedure_code="-MaTTHC")
    save_profile(db, "Tỉnh (lạ)", columns)
    profile = get_profile(db, "Tỉnh (lạ)")
    path = tmp_path / "tinh.csv"
    assert export_profile(db, path, profile) == 1
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert all(name[:1] not in ("=", "+", "-", "@", "\t", "\r") for name in header), header
    assert "'=HYPERLINK(\"http://x.example\",\"Bấm\")" in header
    again = import_mapped(db, path, profile)
    assert again.ok and again.unchanged == 1, again.errors[:3]
