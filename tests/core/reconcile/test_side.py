"""The side-by-side rows: Biểu 06 from the engine's document, the 766 set through its hook."""
from __future__ import annotations

from core.reconcile.side import i766_rows, side_by_side


def doc(received: int, on_time: int, resolved: int, i766: dict | None = None) -> dict:
    figures = {"received": {"total": received}, "resolved": {"total": resolved, "early": 0,
                                                             "on_time": on_time, "late": resolved - on_time},
               "in_progress": {"overdue": 0},
               "on_time_rate": on_time / resolved if resolved else None,
               "online_full": {"count": 0, "eligible": 0, "received": received, "rate": None},
               "online_payment": {"paid_online": 0, "fee_dossiers": 0, "rate": None},
               "satisfaction": {"satisfied": 0, "votes": 0, "rate": None}}
    if i766 is not None:
        figures["i766"] = i766
    return {"policy": {"online_denominator": "eligible"}, "total": figures}


def test_biểu06_rows_and_the_change_entering_the_missing_makes():
    rows = side_by_side(doc(10, 9, 10), doc(8, 7, 8), doc(10, 9, 10))
    received = rows[0]
    assert [c.num for c in received.cells] == [10, 8, 10] and received.change == "+2"
    on_time = next(r for r in rows if r.name == "Giải quyết đúng hạn")
    assert on_time.source == "Biểu 06"
    assert on_time.cells[1].text == "87,50% (7/8)"
    assert on_time.change == "+2,50 điểm %"
    assert not [r for r in rows if r.source == "766"]  # the engine gives no 766 set yet


def test_766_rows_appear_when_the_engine_gives_them():
    def i766(num, den):
        return {"on_time": {"num": num, "den": den, "rate": num / den},
                "e_result": {"num": 1, "den": 2, "rate": 0.5}}
    docs = [doc(10, 9, 10, i766(9, 10)), doc(8, 7, 8, i766(7, 8)), doc(10, 9, 10, i766(9, 10))]
    rows = i766_rows(docs)
    # the set named once, by the source column ("766 … (766)" twice before)
    assert [r.name for r in rows] == ["2.1 Tỷ lệ hồ sơ giải quyết đúng hạn",
                                      "4.1 Tỷ lệ trả kết quả điện tử"]
    assert rows[0].cells[1].text == "87,50% (7/8)" and rows[0].change == "+2,50 điểm %"
    assert [r.source for r in side_by_side(*docs)][-2:] == ["766", "766"]
