"""The ledger's hash covers a vote's origin (db.ledger.WHEN_SET) at the centre too: the votes a
package brings — on the records' way and the SQL copy, whose ledger sums are made beside the
copy from the part's rows (core.exchange.fastcopy.ledger_sums) — are vouched for with the
origin they carry, so the centre's `check` is clean after the merge and names an edit giving one
of them another installation's origin."""
from __future__ import annotations

from core.exchange import import_package
from core.exchange.merge import import_packages
from core.maintenance import audit_rows
from db import ledger
from tests.core.exchange import test_walk_in_origin as walk
from tests.core.exchange.test_walk_in_origin import sent, walk_in

path, places = walk.path, walk.places


def _wrong(db) -> list[str]:
    return [f.text for f in audit_rows.verify_rows(db) if not f.ok]


def test_the_centres_ledger_vouches_for_the_origins_a_package_brings(places, tmp_path, path,
                                                                     monkeypatch):
    a, b, centre = places
    walk_in(a)
    walk_in(a, "neutral")
    walk_in(b)
    made: list = []
    plain = ledger.summed_from
    monkeypatch.setattr(ledger, "summed_from", lambda *args: made.append(1) or plain(*args))
    import_packages(centre, [sent(a, tmp_path / "a.zip"), sent(b, tmp_path / "b.zip", 1)])
    import_package(centre, sent(a, tmp_path / "a2.zip", 2))  # again: nothing changes
    assert centre.execute("SELECT COUNT(*) FROM votes WHERE origin IS NOT NULL").fetchone()[0] == 3
    if path == "format3-sql":  # the sums made beside the copy, from the part's rows
        assert made
    assert _wrong(centre) == []
    mine = centre.execute("SELECT origin FROM votes WHERE id = 3").fetchone()[0]
    with centre.conn:
        centre.execute("UPDATE vote_rows SET origin = (SELECT origin FROM vote_rows WHERE id = 1) "
                       "WHERE id = 3")
    assert _wrong(centre) == ["Phiếu đánh giá bị sửa ngoài MotCua: các dòng số 1–1.023 có dòng bị "
                              "sửa nội dung."]
    with centre.conn:
        centre.execute("UPDATE vote_rows SET origin = ? WHERE id = 3", [mine])
    assert _wrong(centre) == []
