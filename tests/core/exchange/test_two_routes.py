"""A counter's walk-in vote recorded before schema 25 has no origin: brought to the centre through
the commune PC that merged the counter's package, then again in the counter's own package, it is
stored twice (docs/import-export.md, «Nâng cấp lên lược đồ 25»: nothing either copy holds tells it
from two PCs' identical votes). Round 34's walk: 10 such votes of counter 2 counted twice in a
centre's November report (117 votes for 107), and neither the preview nor the dry run said a word.
Now both say it, before anything is written (core.exchange.two_routes), on every way in; a package
whose votes carry their origin, or bring nothing new, says nothing."""
from __future__ import annotations

from core import installation
from core.exchange import import_package
from core.exchange.merge import import_packages
from tests.core.exchange import test_walk_in_origin as walk
from tests.core.exchange.test_walk_in_origin import live, sent, walk_in

path, places = walk.path, walk.places

WORDS = "không mang nguồn (ghi trước khi cập nhật), giống hệt phiếu đã nhận qua gói của máy"


def _notes(result) -> list[str]:
    return [w for w in result.warnings if WORDS in w]


def _relayed(places, tmp_path):
    """Counter's two walk-in votes without origin, relayed by the commune to the centre."""
    counter, commune, centre = places
    walk_in(counter)
    walk_in(counter, "neutral")
    with counter.conn:  # recorded before the upgrade: no origin (db.vote_origin.fill)
        counter.execute("UPDATE vote_rows SET origin = NULL")
    direct = sent(counter, tmp_path / "counter.zip")
    import_package(commune, direct)
    assert import_package(centre, sent(commune, tmp_path / "commune.zip", 1)).votes == {"new": 2}
    return counter, commune, centre, direct


def test_the_counters_own_package_after_the_relay_says_its_votes_may_be_there(places, tmp_path,
                                                                               path):
    counter, commune, centre, direct = _relayed(places, tmp_path)
    relay = installation.installation_id(commune)
    dry = import_package(centre, direct, dry_run=True)
    assert dry.votes == {"new": 2}  # (the limit stays: two copies if imported)
    [note] = _notes(dry)
    assert note.startswith("2 phiếu đánh giá không gắn hồ sơ")
    assert f"máy {relay[:8]} (2 phiếu)" in note
    # the day to ask for, not a day the IT officer must work out (review34a): the votes' day is
    # 20/10/2025 (test_walk_in_origin.AT)
    assert "hãy xin máy gửi xuất lại gói từ ngày 21/10/2025, sau ngày của phiếu cuối cùng" in note
    assert live(centre) == 2  # the dry run wrote nothing
    # and the import says it too, with what to do once it is written (read34: "đừng nhập gói
    # này" alone came after `exchange import` without --dry-run had written it)
    [said] = _notes(import_package(centre, direct))
    assert "đã nhập rồi thì khôi phục bản sao lưu làm trước lần nhập" in said
    assert live(centre) == 4


def test_votes_with_their_origin_or_nothing_new_say_nothing(places, tmp_path, path):
    counter, commune, centre = places
    walk_in(counter)  # recorded after the upgrade: it carries its origin
    direct = sent(counter, tmp_path / "counter.zip")
    import_package(commune, direct)
    import_package(centre, sent(commune, tmp_path / "commune.zip", 1))
    result = import_package(centre, direct)
    assert result.votes == {"identical": 1} and not _notes(result)
    assert live(centre) == 1


def test_in_one_operation_too(places, tmp_path, path):
    counter, commune, centre, direct = _relayed(places, tmp_path)
    batch = import_packages(centre, [direct], dry_run=True)
    assert _notes(batch.results[0])


def test_the_relay_after_the_counters_own_package_is_told_in_words_true_of_it(places, tmp_path,
                                                                              path):
    """The other order: the counter's own package first, then the commune's relaying the same
    votes. The note named the counter as «máy ấy» and said «Nếu máy ấy đã chuyển tiếp gói của
    máy gửi … xin máy gửi xuất gói từ sau ngày cuối cùng máy ấy đã chuyển tiếp»: the counter
    relayed nothing, and the commune was asked for a day no machine relayed. Now either way."""
    counter, commune, centre = places
    walk_in(counter)
    walk_in(counter, "neutral")
    with counter.conn:  # recorded before the upgrade: no origin (db.vote_origin.fill)
        counter.execute("UPDATE vote_rows SET origin = NULL")
    direct = sent(counter, tmp_path / "counter.zip")
    assert import_package(centre, direct).votes == {"new": 2}
    import_package(commune, direct)
    dry = import_package(centre, sent(commune, tmp_path / "commune.zip", 1), dry_run=True)
    [note] = _notes(dry)
    assert note.startswith("2 phiếu đánh giá không gắn hồ sơ")
    assert f"máy {installation.installation_id(counter)[:8]} (2 phiếu)" in note
    assert "Nếu những phiếu ấy đã đi qua một máy khác (máy xã nhập gói của quầy" in note
    assert "máy ấy đã chuyển tiếp" not in note


def test_votes_back_from_a_counter_that_imported_the_centres_package_are_said(places, tmp_path,
                                                                              path):
    """Counter A's votes without origin at the centre, the centre's package imported by counter
    B, B's package back at the centre: A's votes come back as B's, two more votes (as before
    round 34: core.actor_names.WalkIns never takes a third PC's vote for the sender's). Said,
    in words naming that route (review34a: the note spoke only of a commune's relay)."""
    a, b, centre = places
    walk_in(a)
    walk_in(a, "neutral")
    with a.conn:
        a.execute("UPDATE vote_rows SET origin = NULL")
    import_package(centre, sent(a, tmp_path / "a.zip"))
    assert import_package(b, sent(centre, tmp_path / "centre.zip", 1)).votes == {"new": 2}
    dry = import_package(centre, sent(b, tmp_path / "b.zip", 2), dry_run=True)
    assert dry.votes == {"new": 2}  # (the limit stays)
    [note] = _notes(dry)
    assert f"máy {installation.installation_id(a)[:8]} (2 phiếu)" in note
    assert "hay một máy nhập gói của trung tâm rồi gửi lại" in note
