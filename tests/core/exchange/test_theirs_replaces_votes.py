"""Issue 16 §3 (round 22, tester try22): "theirs" on a clash replaces this installation's
dossier of a code by ANOTHER citizen's dossier. The replaced dossier's votes were its
citizen's: they must not stay live on the other citizen's dossier (one dossier, one vote; the
kpi counted An's vote on Cường's dossier). They are cancelled there with the reason
(append-only), and said in the preview and the summary; a reopen (--choose MÃ=both) brings
An's dossier back under a new code with its vote — figures right at every step, and as
sent to a third installation."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import installation, votes
from core.exchange import export_package, recode, replaced
from core.exchange.merge import import_packages
from core.exchange.store import sender_key
from tests.core.exchange.conftest import DAY, receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _everything

pytestmark = [pytest.mark.slot_unconfirmed, pytest.mark.usefixtures("package_format")]


def _figures(db) -> tuple:
    """The kpi's votes and satisfied, and the live votes by dossier."""
    kpi = db.execute("SELECT COALESCE(SUM(votes), 0), COALESCE(SUM(satisfied), 0) "
                     "FROM kpi_daily").fetchone()
    live = db.execute("SELECT d.code, d.applicant_name, v.rating FROM votes v JOIN dossiers d "
                      "ON d.id = v.dossier_id WHERE v.cancelled_at IS NULL "
                      "ORDER BY d.code, v.id").fetchall()
    return tuple(kpi), live


def _two_citizens(tmp_path):
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    g = installed(tmp_path / "g.db", CENTRE, (1, 1))
    an, code = receive(a, "An", minutes=1, unit=CENTRE)
    cuong, same = receive(b, "Cường", minutes=2, unit=CENTRE)
    assert same == code
    for db, dossier_id, rating in ((a, an, "satisfied"), (b, cuong, "dissatisfied")):
        D.finish(db, dossier_id, at=DAY + dt.timedelta(minutes=30))
        votes.add_vote(db, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=1),
                       rating=rating, dossier_id=dossier_id)
    package_a, package_b = tmp_path / "a1.zip", tmp_path / "b1.zip"
    export_package(a, package_a, SINCE)
    export_package(b, package_b, SINCE)
    a.close()
    b.close()
    return g, code, package_a, package_b


def _import(db, package, **how):
    """The preview, then the import: the same counts and notes; then again: nothing."""
    preview = import_packages(db, [package], dry_run=True, **how).results[0]
    result = import_packages(db, [package], **how).results[0]
    assert result.written
    assert (preview.dossiers, preview.votes) == (result.dossiers, result.votes)
    assert preview.warnings == result.warnings
    ok(db)
    before = _everything(db), _figures(db)
    import_packages(db, [package], **how)
    assert (_everything(db), _figures(db)) == before
    return result


def test_theirs_over_another_citizens_dossier_cancels_its_votes_and_a_reopen_brings_them_back(
        tmp_path):
    g, code, package_a, package_b = _two_citizens(tmp_path)
    _import(g, package_a)
    assert _figures(g) == ((1, 1), [(code, "An", "satisfied")])

    result = _import(g, package_b, clashes="theirs")
    assert result.resolved.get("theirs") == 1
    # Cường's dossier holds its own vote only; An's is cancelled there, with why, and said
    assert _figures(g) == ((1, 0), [(code, "Cường", "dissatisfied")])
    cancelled = g.execute("SELECT v.rating, v.cancel_reason FROM votes v JOIN dossiers d "
                          "ON d.id = v.dossier_id WHERE v.cancelled_at IS NOT NULL").fetchall()
    assert [r[0] for r in cancelled] == ["satisfied"]
    # the reason names the installation that replaced the dossier: true wherever it travels
    assert cancelled[0][1] == replaced.replaced_reason(
        code, package_b.name, sender_key(installation.installation_id(g)))
    assert "máy này" not in cancelled[0][1]
    assert replaced.replaced_text(code, 1) in result.warnings
    assert recode.told_after_import(replaced.replaced_text(code, 1))  # the window repeats it

    new = "TT-251020-0002"
    result = _import(g, package_a, choices={code: recode.BOTH})
    assert _figures(g) == ((2, 1), [(code, "Cường", "dissatisfied"), (new, "An", "satisfied")])

    # a third installation importing G's export ends with the same figures
    package_g = tmp_path / "g1.zip"
    export_package(g, package_g, SINCE)
    h = installed(tmp_path / "h.db", CENTRE, (1, 1))
    _import(h, package_g)
    assert _figures(h) == _figures(g)
    # the cancelled vote travels with its reason: true at H too (G replaced the dossier)
    [(reason,)] = h.execute("SELECT cancel_reason FROM votes WHERE cancelled_at IS NOT NULL"
                            ).fetchall()
    assert reason == cancelled[0][1]
    assert f"máy {sender_key(installation.installation_id(g))}" in reason
    assert "máy này" not in reason
    for db in (g, h):
        db.close()


def test_the_reason_of_an_installation_with_no_id_names_it_by_the_import(tmp_path):
    """review23 L4: an installation that has no id yet wrote "ở máy ?" in the reason, which
    travels with the vote. It names that installation by what it did: it imported the
    package (taken "theirs")."""
    g, code, package_a, package_b = _two_citizens(tmp_path)
    _import(g, package_a)
    g.execute("DELETE FROM settings WHERE key = ?", [installation.ID_KEY])
    g.conn.commit()
    result = import_packages(g, [package_b], clashes="theirs").results[0]
    assert result.written and result.resolved.get("theirs") == 1
    [(reason,)] = g.execute("SELECT cancel_reason FROM votes WHERE cancelled_at IS NOT NULL"
                            ).fetchall()
    assert reason == (f"Hồ sơ {code} ở máy đã nhập gói b1.zip đã được thay bằng hồ sơ của người "
                      f"nộp khác cùng mã (lấy theo gói): {replaced.REPLACED_VI} không tính cho hồ "
                      "sơ mới. Nếu ở máy ấy nhập lại gói có hồ sơ cũ và chọn \"Giữ cả hai\" "
                      "thì phiếu đi cùng hồ sơ ấy.")
    g.close()


def test_a_reopen_moves_the_vote_an_earlier_theirs_left_live_by_the_move_rule(
        tmp_path, monkeypatch):
    """A file damaged before this round: "theirs" left An's vote live on Cường's dossier. The
    reopen moves it to An's re-coded dossier by the move rule (recode.misfiled_votes: proven
    An's — the same vote, brought by A's own package): cancelled on the code with the move's
    reason, counted once."""
    from core.exchange import merge
    g, code, package_a, package_b = _two_citizens(tmp_path)
    _import(g, package_a)
    with monkeypatch.context() as patch:  # the program before this round
        patch.setattr(merge._Merger, "_cancel_replaced", lambda self, now: None)
        assert import_packages(g, [package_b], clashes="theirs").results[0].written
    assert _figures(g)[0] == (2, 1)  # the damage: An's vote counted on Cường's dossier
    new = "TT-251020-0002"
    result = _import(g, package_a, choices={code: recode.BOTH})
    assert _figures(g) == ((2, 1), [(code, "Cường", "dissatisfied"), (new, "An", "satisfied")])
    assert recode.moved_text(code, new, 1) in result.warnings
    reasons = [r[0] for r in g.execute("SELECT cancel_reason FROM votes "
                                       "WHERE cancelled_at IS NOT NULL")]
    from core.database import open_database
    a = open_database(tmp_path / "a.db")  # An's vote came from A; G moved it
    assert reasons == [recode.moved_reason(code, new, package_a.name,
                                           sender_key(installation.installation_id(a)),
                                           sender_key(installation.installation_id(g)))]
    a.close()
    package_g = tmp_path / "g1.zip"
    export_package(g, package_g, SINCE)
    h = installed(tmp_path / "h.db", CENTRE, (1, 1))
    _import(h, package_g)
    assert _figures(h) == _figures(g)
    for db in (g, h):
        db.close()
