"""Matching without a code (core.reconcile.matching): closest pair first, boundaries, and a
match with rivals shown as uncertain, never silently guessed."""
import datetime as dt

from core.reconcile.matching import Item, match

TOLERANCE = dt.timedelta(minutes=30)


def item(code: str, received: str, applicant: str = "Nguyễn Văn An", procedure: str = "1.001193"):
    return Item(0, code, procedure, applicant, "direct", received, "received", None, None,
                "XTD", None, None, 0, False)


def pairs_of(result):
    return {(p.ours.code, p.theirs.code) for p in result.pairs}


def test_the_closest_pair_wins_not_the_first_of_ours():
    # ours 08:00 and 08:25, theirs 08:20: the first of ours took it (20 minutes) and left the
    # 08:25 one (5 minutes away) unmatched — fails on the old matching
    ours = [item("A", "2026-10-05 08:00:00"), item("B", "2026-10-05 08:25:00")]
    theirs = [item("X", "2026-10-05 08:20:00")]
    result = match(ours, theirs, TOLERANCE)
    assert pairs_of(result) == {("B", "X")}
    assert [i.code for i in result.only_ours] == ["A"]


def test_a_match_with_another_candidate_says_it_is_uncertain():
    ours = [item("A", "2026-10-05 08:00:00")]
    theirs = [item("X", "2026-10-05 08:10:00"), item("Y", "2026-10-05 08:20:00")]
    result = match(ours, theirs, TOLERANCE)
    (pair,) = result.pairs
    assert (pair.ours.code, pair.theirs.code) == ("A", "X")
    assert pair.rivals == 1
    assert "không chắc chắn" in pair.how and "còn 1 hồ sơ khác" in pair.how
    assert [i.code for i in result.only_theirs] == ["Y"]


def test_two_and_two_of_one_applicant_all_flagged():
    ours = [item("A", "2026-10-05 08:00:00"), item("B", "2026-10-05 08:12:00")]
    theirs = [item("X", "2026-10-05 08:01:00"), item("Y", "2026-10-05 08:13:00")]
    result = match(ours, theirs, TOLERANCE)
    assert pairs_of(result) == {("A", "X"), ("B", "Y")}
    assert all(p.rivals == 2 and "không chắc chắn" in p.how for p in result.pairs)


def test_a_lone_candidate_is_a_plain_match():
    result = match([item("A", "2026-10-05 08:00:00")],
                   [item("X", "2026-10-05 08:29:00"),
                    item("Z", "2026-10-05 08:10:00", applicant="Trần Thị Bình")], TOLERANCE)
    (pair,) = result.pairs
    assert pair.rivals == 0 and pair.how.endswith("(lệch 29 phút)")


def test_exactly_the_tolerance_matches_one_second_more_does_not():
    ours = [item("A", "2026-10-05 08:00:00")]
    assert pairs_of(match(ours, [item("X", "2026-10-05 08:30:00")], TOLERANCE)) == {("A", "X")}
    assert pairs_of(match(ours, [item("X", "2026-10-05 07:30:00")], TOLERANCE)) == {("A", "X")}
    later = match(ours, [item("X", "2026-10-05 08:30:01")], TOLERANCE)
    assert not later.pairs and len(later.only_ours) == 1 and len(later.only_theirs) == 1
    assert not match(ours, [item("X", "2026-10-05 07:29:59")], TOLERANCE).pairs


def test_one_company_with_thousands_of_dossiers_in_one_minute_all_pair():
    # one applicant and one procedure at one moment: closest-first over neighbours (n log n),
    # every dossier paired once, each uncertain
    ours = [item(f"O{n}", "2026-10-05 08:00:00", "Công ty ABC") for n in range(10_000)]
    theirs = [item(f"T{n}", "2026-10-05 08:00:30", "Công ty ABC") for n in range(10_000)]
    result = match(ours, theirs, TOLERANCE)
    assert len(result.pairs) == 10_000 and not result.only_ours and not result.only_theirs
    assert len({p.theirs.code for p in result.pairs}) == 10_000
    assert all(p.rivals == 19_998 for p in result.pairs)


def test_a_name_typed_with_a_look_alike_of_d_still_matches():
    """Round 17: "ÐỨC" with U+00D0 (Icelandic eth, as some fonts, PDFs and converters give
    Vietnamese Đ) or U+0189 looks like "ĐỨC" but folded to "ðuc": the recoded dossier of
    Nguyễn Văn Đức was listed as missing. The name is stored and compared with Đ
    (core.validation.clean_name), so it matches, and a search finds it."""
    from core.validation import clean_name
    assert clean_name("NGUYỄN VĂN \u00d0ỨC") == "NGUYỄN VĂN ĐỨC"
    assert clean_name("\u0189ặng Thị Hoa") == "Đặng Thị Hoa"
    assert clean_name("nguyễn văn \u00f0ức") == "nguyễn văn đức"  # the small letters too
    assert clean_name("\u0256ặng") == "đặng"
    ours = [item("A", "2026-10-05 08:00:00", "Nguyễn Văn Đức")]
    for look_alike in ("\u00d0", "\u0189"):
        theirs = [item("X", "2026-10-05 08:07:00", f"NGUYEN VAN {look_alike}UC")]
        assert pairs_of(match(ours, theirs, TOLERANCE)) == {("A", "X")}
