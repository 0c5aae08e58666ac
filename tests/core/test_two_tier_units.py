"""Units of a two-tier province (issue 13 §3, spec 1, 4, 5, 8): validity, successors, a dossier's
competent unit, where a dossier counts, and the receiving desk's own workload."""
from __future__ import annotations

import datetime as dt

import pytest

from core import catalogue, dossiers, facts, indicators
from core.errors import FieldError, InputError
from core.indicators import i766
from core.indicators.drill import dossiers_behind, votes_behind
from core.indicators.reception import crosses_units, reception_workload
from core.pdf import queries
from core.pdf.monthly import build_monthly
from core.periods import month_period
from core.unit_scope import unit_subtree
from db.connection import transaction
from tests.core.factories import add_dossier, add_procedures
from tests.pdfread import page_texts

D = dt.date
T = dt.datetime


def province(db) -> None:
    """Lạng Sơn after 01/07/2025: two old communes merged into Tân Đoàn, a provincial centre."""
    catalogue.save_unit(db, "LS", "UBND tỉnh Lạng Sơn", "province", None)
    catalogue.save_unit(db, "TT", "Trung tâm Phục vụ hành chính công", "centre", "LS")
    catalogue.save_unit(db, "XTD", "Xã Tân Đoàn", "commune", "LS", valid_from=D(2025, 7, 1))
    catalogue.save_unit(db, "VQ", "Huyện Văn Quan", "district", "LS", valid_to=D(2025, 6, 30))
    for code, name in (("XA", "Xã Tràng Các"), ("XB", "Xã Tràng Sơn")):
        catalogue.save_unit(db, code, name, "commune", "VQ", valid_to=D(2025, 6, 30),
                            successor_code="XTD")
    catalogue.save_unit(db, "XA1", "Thôn Bản Làn (điểm tiếp nhận)", "reception_point", "XA",
                        valid_to=D(2025, 6, 30))
    add_procedures(db)


# ----- saving a unit ------------------------------------------------------------------------
def test_a_unit_keeps_its_validity_and_successor(db):
    province(db)
    row = db.execute("SELECT level, valid_from, valid_to, successor_code FROM units "
                     "WHERE code = 'XA'").fetchone()
    assert row == ("commune", None, "2025-06-30", "XTD")
    assert db.execute("SELECT level FROM units WHERE code = 'XA1'").fetchone()[0] == \
        "reception_point"
    catalogue.save_unit(db, "CN1", "Chi nhánh Văn Quan", "branch", "TT")
    shown = {r.code: r for r in catalogue.unit_rows(db)}
    assert shown["XA"].history_note() == "(đến 30/06/2025 → Xã Tân Đoàn)"
    assert shown["XTD"].history_note() == "(từ 01/07/2025)"
    assert shown["XA"].dissolved_on(D(2025, 7, 1)) and not shown["XA"].dissolved_on(D(2025, 6, 30))


@pytest.mark.parametrize("change, field, words", [
    (dict(valid_from=D(2025, 7, 1), valid_to=D(2025, 6, 30)), "valid_to", "trước ngày bắt đầu"),
    (dict(successor_code="XA"), "successor_code", "chính nó"),
    (dict(successor_code="NOPE"), "successor_code", "không có trong danh mục"),
    (dict(level="hamlet"), "level", "không hợp lệ"),
])
def test_a_wrong_unit_is_refused_naming_the_field(db, change, field, words):
    province(db)
    values = dict(code="XA", name="Xã Tràng Các", level="commune", parent_code="VQ")
    values.update(change)
    with pytest.raises(FieldError) as error:
        catalogue.save_unit(db, **values)
    assert error.value.field == field and words in str(error.value)


def test_a_successor_loop_is_refused(db):
    province(db)
    with pytest.raises(FieldError) as error:
        catalogue.save_unit(db, "XTD", "Xã Tân Đoàn", "commune", "LS", successor_code="XA")
    assert error.value.field == "successor_code"
    assert "XTD → XA → XTD" in str(error.value)
    assert db.execute("SELECT successor_code FROM units WHERE code = 'XTD'").fetchone()[0] is None


# ----- scope and the units a period lists ---------------------------------------------------
def test_the_scope_of_a_new_commune_includes_its_predecessors_and_their_units(db):
    province(db)
    assert [c for c, _ in unit_subtree(db, "XTD")] == ["XA", "XA1", "XB", "XTD"]
    assert [c for c, _ in unit_subtree(db, "XB")] == ["XB"]  # history does not run forwards


def test_kpi_lists_the_units_valid_in_the_period(db):
    province(db)
    before = [u["code"] for u in indicators.compute(db, D(2025, 6, 1), D(2025, 6, 30))["units"]]
    assert before == ["LS", "TT", "VQ", "XA", "XA1", "XB"]
    after = [u["code"] for u in indicators.compute(db, D(2025, 7, 1), D(2025, 7, 31))["units"]]
    assert after == ["LS", "TT", "XTD"]
    across = [u["code"] for u in indicators.compute(db, D(2025, 6, 30), D(2025, 7, 1),
                                                      unit="XTD")["units"]]
    assert across == ["XA", "XA1", "XB", "XTD"]


def test_a_report_of_the_new_commune_carries_its_predecessors_history(db):
    province(db)
    add_dossier(db, code="OLD", unit="XA", received=T(2025, 3, 3, 8), status="done",
                finished=T(2025, 3, 4, 8))
    add_dossier(db, code="NEW", unit="XTD", received=T(2025, 8, 4, 8), status="done",
                finished=T(2025, 8, 5, 8))
    year = indicators.compute(db, D(2025, 1, 1), D(2025, 12, 31), unit="XTD")
    assert year["total"]["resolved"]["total"] == 2
    assert {u["code"]: u["resolved"]["total"] for u in year["units"]}["XA"] == 1
    # a unit dissolved before the period still shows when something counts at it
    add_dossier(db, code="LEFT", unit="XB", received=T(2025, 6, 20, 8))
    august = indicators.compute(db, D(2025, 8, 1), D(2025, 8, 31), unit="XTD")
    assert [u["code"] for u in august["units"]] == ["XB", "XTD"]
    assert august["total"]["received"]["total"] == sum(
        u["received"]["total"] for u in august["units"])


def test_a_unit_listed_after_its_end_is_named_with_its_history(db, tmp_path):
    """A commune merged on 01/07/2025 that still has figures in August (a dossier it left
    open) is listed so the rows add up — named as Danh mục names it, in kpi and on paper, never
    as if it still existed; a unit valid in the period keeps its plain name."""
    province(db)
    add_dossier(db, code="LEFT", unit="XB", received=T(2025, 6, 20, 8))
    add_dossier(db, code="NEW", unit="XTD", received=T(2025, 8, 4, 8))
    august = indicators.compute(db, D(2025, 8, 1), D(2025, 8, 31))
    names = {u["code"]: u["name"] for u in august["units"]}
    assert names["XB"] == "Xã Tràng Sơn (đến 30/06/2025 → Xã Tân Đoàn)"
    assert names["XTD"] == "Xã Tân Đoàn" and "XA" not in names
    june = indicators.compute(db, D(2025, 6, 1), D(2025, 6, 30))  # still valid then
    assert {u["code"]: u["name"] for u in june["units"]}["XB"] == "Xã Tràng Sơn"
    text = " ".join(" ".join(page_texts(build_monthly(db, "2025-08", unit="XTD"))).split())
    assert "Xã Tràng Sơn (đến 30/06/2025 → Xã Tân Đoàn)" in text
    assert "gộp cả Xã Tràng Sơn (đến 30/06/2025)." in text  # the note's own, said once
    # the command's tables too (round 17: cut at 28 letters, "Xã Tràng Sơn (đến 30/06/2025 …")
    from core.indicators.cli import render_766, render_table
    for table in (render_table(august), render_766(august, {k: 0.9 for k in i766.KEYS})):
        rows = [line for line in table.splitlines() if line.startswith("Xã Tràng Sơn")]
        assert len(rows) == 1 and rows[0].startswith(names["XB"] + " "), table
        header = next(line for line in table.splitlines() if line.startswith("Đơn vị"))
        total = next(line for line in table.splitlines() if line.startswith("TỔNG CỘNG"))
        assert len(rows[0]) == len(header) == len(total)  # the figures still in their columns
    # kpi --json keeps the catalogue's name (spec 8: other tools join on it; round 17 review)
    given = {u["code"]: u["name"] for u in indicators.spec_document(db, august)["units"]}
    assert given["XB"] == "Xã Tràng Sơn" and given["XTD"] == "Xã Tân Đoàn"


def test_a_period_across_the_reform_tells_the_old_and_the_new_commune_of_one_name_apart(db):
    """The state-report month of July 2025 (15/06–14/07) saw the old "Xã Tân Đoàn" end and the
    new one begin: both were listed under one name, in kpi, Báo cáo, the PDF and the workbooks,
    and a leader could not tell which row was which (round 19). Each is named with its history;
    a unit in being on every day of the period keeps its plain name."""
    province(db)
    catalogue.save_unit(db, "OTD", "Xã Tân Đoàn", "commune", "VQ", valid_to=D(2025, 6, 30),
                        successor_code="XTD")
    add_dossier(db, code="OLD", unit="OTD", received=T(2025, 6, 20, 8))
    add_dossier(db, code="NEW", unit="XTD", received=T(2025, 7, 7, 8))
    state = indicators.compute(db, D(2025, 6, 15), D(2025, 7, 14))
    names = {u["code"]: u["name"] for u in state["units"]}
    assert names["OTD"] == "Xã Tân Đoàn (đến 30/06/2025 → Xã Tân Đoàn)"
    assert names["XTD"] == "Xã Tân Đoàn (từ 01/07/2025)"
    assert names["XB"] == "Xã Tràng Sơn (đến 30/06/2025 → Xã Tân Đoàn)"
    assert names["LS"] == "UBND tỉnh Lạng Sơn" and names["TT"] == "Trung tâm Phục vụ hành chính công"
    # a month each side of the day: a unit in being all month keeps its plain name
    june = {u["code"]: u["name"] for u in indicators.compute(db, D(2025, 6, 1),
                                                             D(2025, 6, 30))["units"]}
    assert (june["OTD"], june["XB"]) == ("Xã Tân Đoàn", "Xã Tràng Sơn") and "XTD" not in june
    july = {u["code"]: u["name"] for u in indicators.compute(db, D(2025, 7, 1),
                                                             D(2025, 7, 31))["units"]}
    assert july["XTD"] == "Xã Tân Đoàn"  # the old one, listed for its open dossier, says so:
    assert july["OTD"] == "Xã Tân Đoàn (đến 30/06/2025 → Xã Tân Đoàn)"
    pdf = build_monthly(db, month_period("2025-07", "state"))
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "Xã Tân Đoàn (đến 30/06/2025 → Xã Tân Đoàn)" in text
    assert "Xã Tân Đoàn (từ 01/07/2025)" in text
    given = {u["code"]: u["name"] for u in indicators.spec_document(db, state)["units"]}
    assert given["OTD"] == given["XTD"] == "Xã Tân Đoàn"  # kpi --json: the catalogue's names
    # the receiving desks' table (Báo cáo, the PDF's section VIII) names them so too
    desks = {r.receiving_code: r.receiving_name
             for r in reception_workload(db, D(2025, 6, 15), D(2025, 7, 14))}
    assert desks == {"OTD": names["OTD"], "XTD": names["XTD"]}


# ----- a dossier's competent unit and its code ----------------------------------------------
def test_the_code_carries_the_competent_unit(db):
    province(db)
    received = T(2025, 8, 4, 8)
    own = dossiers.create_dossier(db, unit_code="TT", procedure_code="P.WD2",
                                  applicant_name="Lò Văn A", received_at=received)
    other = dossiers.create_dossier(db, unit_code="TT", procedure_code="P.WD2",
                                    applicant_name="Lò Văn B", received_at=received,
                                    competent_unit_code="XTD")
    same = dossiers.create_dossier(db, unit_code="TT", procedure_code="P.WD2",
                                   applicant_name="Lò Văn C", received_at=received,
                                   competent_unit_code="TT")
    assert (own[1], other[1], same[1]) == ("TT-250804-0001", "XTD-250804-0001", "TT-250804-0002")
    stored = dict(db.execute("SELECT code, competent_unit_code FROM dossiers").fetchall())
    assert stored == {"TT-250804-0001": None, "XTD-250804-0001": "XTD", "TT-250804-0002": None}


def test_the_competent_unit_must_exist_that_day(db):
    province(db)
    for code, words in (("NOPE", "không có trong danh mục"), ("XA", "không hoạt động vào ngày 04/08/2025")):
        with pytest.raises(FieldError) as error:
            dossiers.create_dossier(db, unit_code="TT", procedure_code="P.WD2",
                                    applicant_name="Lò Văn A", received_at=T(2025, 8, 4, 8),
                                    competent_unit_code=code)
        assert error.value.field == "competent_unit_code" and words in str(error.value)
    with pytest.raises(FieldError) as error:  # a merged commune's desk no longer receives
        dossiers.create_dossier(db, unit_code="XA", procedure_code="P.WD2",
                                applicant_name="Lò Văn A", received_at=T(2025, 8, 4, 8))
    assert error.value.field == "unit_code"
    assert "không hoạt động vào ngày 04/08/2025" in str(error.value)
    assert dossiers.create_dossier(db, unit_code="XA", procedure_code="P.WD2",
                                   applicant_name="Lò Văn A", received_at=T(2025, 6, 30, 8))[1] \
        == "XA-250630-0001"  # its last day


def test_the_daily_sequence_goes_on_with_five_digits_after_9999(db):
    province(db)
    with transaction(db) as conn:
        conn.execute("INSERT INTO code_counters(unit_code, day, last) VALUES ('TT', '250804', 9998)")
    codes = [dossiers.create_dossier(db, unit_code="TT", procedure_code="P.WD2",
                                     applicant_name="Lò Văn A", received_at=T(2025, 8, 4, 8))[1]
             for _ in range(3)]
    assert codes == ["TT-250804-9999", "TT-250804-10000", "TT-250804-10001"]


# ----- where a dossier counts ---------------------------------------------------------------
def received_for_another(db) -> int:
    """Received at the centre's desk for Tân Đoàn, late; plus one of the centre's own, open."""
    province(db)
    dossier_id = add_dossier(db, code="C1", unit="TT", received=T(2025, 8, 4, 8), status="done",
                             finished=T(2025, 8, 20, 8))
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET competent_unit_code = 'XTD' WHERE id = ?", [dossier_id])
        facts.refresh(db, [dossier_id])
    add_dossier(db, code="C2", unit="TT", received=T(2025, 8, 4, 9))
    dossiers.add_vote(db, unit_code="TT", rating="satisfied", voted_at=T(2025, 8, 20, 9),
                      dossier_id=dossier_id)
    return dossier_id


def test_a_dossier_counts_at_its_competent_unit_only(db):
    dossier_id = received_for_another(db)
    doc = indicators.compute(db, D(2025, 8, 1), D(2025, 8, 31))
    rows = {u["code"]: u for u in doc["units"]}
    assert rows["XTD"]["resolved"]["late"] == 1 and rows["XTD"]["received"]["total"] == 1
    assert rows["TT"]["resolved"]["total"] == 0 and rows["TT"]["received"]["total"] == 1
    assert rows["TT"]["satisfaction"]["votes"] == 1 and rows["XTD"]["satisfaction"]["votes"] == 0
    assert doc["total"]["received"]["total"] == 2
    assert db.execute("SELECT unit_code FROM kpi_daily WHERE late_po > 0").fetchone()[0] == "XTD"
    assert dossiers_behind(db, "resolved.late", D(2025, 8, 1), D(2025, 8, 31), unit="XTD") == \
        [dossier_id]
    assert dossiers_behind(db, "received.total", D(2025, 8, 1), D(2025, 8, 31), unit="TT") != \
        [dossier_id]
    assert len(votes_behind(db, "satisfaction.votes", D(2025, 8, 1), D(2025, 8, 31), unit="TT")) == 1
    # the same under --as-of (reference rules) and while the period runs (open_now)
    asof = indicators.compute(db, D(2025, 8, 1), D(2025, 8, 31), as_of=T(2025, 8, 25, 10))
    assert {u["code"]: u["resolved"]["late"] for u in asof["units"]}["XTD"] == 1


def test_an_overdue_dossier_is_listed_at_its_competent_unit(db):
    province(db)
    dossier_id = add_dossier(db, code="C1", unit="TT", received=T(2025, 8, 4, 8))
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET competent_unit_code = 'XTD' WHERE id = ?", [dossier_id])
        facts.refresh(db, [dossier_id])
    doc = indicators.compute(db, D(2025, 8, 1), D(2025, 8, 31), unit="XTD")
    assert doc["total"]["in_progress"]["overdue"] == 1
    found = queries.overdue_dossiers(db, ["XTD"], T(2025, 9, 1), doc["policy"], expected=1)
    assert [row.unit_code for row in found.rows] == ["XTD"]
    assert indicators.compute(db, D(2025, 8, 1), D(2025, 8, 31), unit="TT")["total"][
        "received"]["total"] == 0


def test_the_receiving_desk_sees_its_own_workload(db):
    received_for_another(db)
    rows = reception_workload(db, D(2025, 8, 1), D(2025, 8, 31))
    assert [(r.receiving_code, r.competent_code, r.count) for r in rows] == \
        [("TT", "TT", 1), ("TT", "XTD", 1)]
    assert crosses_units(rows)
    # the commune's scope sees what the centre received for it
    mine = reception_workload(db, D(2025, 8, 1), D(2025, 8, 31), unit="XTD")
    assert [(r.receiving_name, r.competent_name, r.count) for r in mine] == \
        [("Trung tâm Phục vụ hành chính công", "Xã Tân Đoàn", 1)]
    assert not crosses_units(reception_workload(db, D(2025, 9, 1), D(2025, 9, 30)))
    with pytest.raises(InputError):
        reception_workload(db, D(2025, 8, 1), D(2025, 8, 31), unit="NOPE")


def test_the_monthly_report_prints_the_reception_table_only_when_needed(db):
    received_for_another(db)
    text = "\n".join(page_texts(build_monthly(db, "2025-08")))
    assert "TIẾP NHẬN HỒ SƠ THEO ĐƠN VỊ GIẢI QUYẾT" in text
    assert "Xã Tân Đoàn" in text.split("TIẾP NHẬN HỒ SƠ THEO ĐƠN VỊ GIẢI QUYẾT")[1]
    # what its total counts, and why it differs from section II's (try25 F7)
    section = " ".join(text.split("TIẾP NHẬN HỒ SƠ THEO ĐƠN VỊ GIẢI QUYẾT")[1].split())
    assert "hồ sơ tiếp nhận hộ đơn vị khác, hồ sơ đơn vị khác tiếp nhận hộ" in section
    assert "Mục II chỉ tính hồ sơ thuộc thẩm quyền giải quyết" in section
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET competent_unit_code = NULL")
        facts.refresh(db, [r[0] for r in conn.execute("SELECT id FROM dossiers")])
    text = "\n".join(page_texts(build_monthly(db, "2025-08")))
    assert "THEO ĐƠN VỊ GIẢI QUYẾT" not in text


def test_the_reception_table_keeps_inside_the_text_width(db):
    """Its columns were 175 mm on a 165 mm text width: the table stood out past both margins
    of every other table of the report (the demo's October 2026, page 5)."""
    from core.pdf import monthly_sections
    from core.pdf.document import A4_PORTRAIT
    from core.pdf.monthly_data import gather

    received_for_another(db)
    width = A4_PORTRAIT.frame_width
    table = monthly_sections.reception(gather(db, "2025-08"), width)[2]
    assert sum(table._colWidths) <= width + 0.01
