"""Issue 16 §3, round 24 (F8): one rule (core.exchange.ready) says, from an import's preview,
whether the import can start and if not why — naming the package or codes and what to do —
for the window and the command alike. A clash kept both on a copied file (no code may be
issued here) was previewed without a word of stopping, then refused after the whole pass."""
from __future__ import annotations

import shutil

import pytest

import main
from core import installation
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, merge, ready, recode
from core.exchange.cli import STOP_VI, STOPPED_VI
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import receive
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import two_pcs_in_one_slot

pytestmark = pytest.mark.slot_unconfirmed


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def copied_centre(tmp_path):
    """The round-23 case: a centre's file copied beside the original (nobody answered what the
    copy is: no code issued there), and a counter's package whose two codes are other citizens'
    dossiers the centre holds (two PCs left in one slot)."""
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    for db in (a, b, centre):
        db.close()
    copy = tmp_path / "chep" / "centre.db"
    copy.parent.mkdir()
    shutil.copyfile(tmp_path / "centre.db", copy)
    return copy, package_b


def test_keeping_both_on_a_copied_file_is_said_before_the_import_in_its_own_words(
        copied_centre):
    copy, package = copied_centre
    db = open_database(copy)
    try:
        assert installation.home(db).ask
        preview = import_packages(db, [package], dry_run=True, clashes=recode.BOTH)
        said = ready.readiness(db, preview.results, preview.crossed)
        assert not said.can_start and said.kinds() == {ready.CODES}
        [block] = said.blocks
        with pytest.raises(InputError) as refused:  # the import's own refusal: the same words
            import_packages(db, [package], clashes=recode.BOTH)
        assert block.reason == str(refused.value)
        assert block.reason.startswith('"Giữ cả hai" (2 hồ sơ) cần máy này cấp mã mới')
        assert "là bản chép của tệp" in block.reason and "--clashes keep" in block.reason
        # the dry run carries that refusal as a field of its result, in those words, and
        # not among its warnings (said once, as the reason; the other warnings stay)
        assert preview.results[0].refused_both == block.reason
        assert preview.combined().refused_both == block.reason
        warnings = preview.results[0].warnings
        assert not [w for w in warnings if "cần máy này cấp mã mới" in w], warnings
        assert any("số hiệu" in w for w in warnings)
        # the reason as the dry run found it: the rule reads the field (no database asked)
        assert ready.readiness(None, preview.results, preview.crossed).text() == block.reason
        # the window's choices: every clash kept both (as previewed) holds it …
        codes = [c.code for c in preview.results[0].conflicts]
        both = ready.Chosen("keep", dict.fromkeys(codes, recode.BOTH))
        assert ready.readiness(db, preview.results, chosen=both).kinds() == {ready.CODES}
        # … one left kept both still needs a code; none: the import can start
        one = ready.Chosen("keep", {codes[0]: recode.BOTH, codes[1]: recode.KEEP},
                           clashes=recode.KEEP)
        assert '"Giữ cả hai" (1 hồ sơ)' in ready.readiness(db, preview.results,
                                                            chosen=one).text()
        none = ready.Chosen("keep", dict.fromkeys(codes, recode.KEEP), clashes=recode.KEEP)
        assert ready.readiness(db, preview.results, chosen=none).can_start
        assert import_packages(db, [package], conflicts="keep", clashes=recode.KEEP).written
    finally:
        db.close()


def test_clashes_the_preview_does_not_list_follow_the_choice_for_every_clash(
        copied_centre, monkeypatch):
    """Beyond the preview's list (500) the clashes follow "for every clash": unticking the
    listed ones alone still keeps the others both (3,255 in the round-23 case)."""
    copy, package = copied_centre
    db = open_database(copy)
    try:
        for reads in (merge, merge.results, merge.previewed, merge.writing, merge.outcomes):
            monkeypatch.setattr(reads, "CONFLICTS_SHOWN", 1)  # only the first listed
        preview = import_packages(db, [package], dry_run=True, clashes=recode.BOTH)
        [listed] = preview.results[0].conflicts
        assert preview.results[0].clashes == 2
        first = listed.code
        listed_kept = ready.Chosen("keep", {first: recode.KEEP})
        assert '"Giữ cả hai" (1 hồ sơ)' in ready.readiness(db, preview.results,
                                                            chosen=listed_kept).text()
        every = ready.Chosen("keep", {first: recode.KEEP}, clashes=recode.KEEP)
        assert ready.readiness(db, preview.results, chosen=every).can_start
    finally:
        db.close()


def test_conflicts_without_a_choice_stop_the_command_and_name_package_and_codes(tmp_path):
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    code = receive(a, "Người A", minutes=1, unit=CENTRE)[1]
    receive(b, "Người B", minutes=2, unit=CENTRE)
    package = tmp_path / "quay-a.zip"
    export_package(a, package, SINCE)
    try:
        preview = import_packages(b, [package], dry_run=True)
        said = ready.readiness(b, preview.results, preview.crossed)
        assert said.kinds() == {ready.CONFLICTS}
        assert said.text().startswith(f"1 hồ sơ xung đột chưa chọn (gói quay-a.zip: {code}): "
                                      "chọn cho từng hồ sơ giữ của máy này hay lấy theo gói")
        assert "--conflicts keep hoặc --conflicts theirs" in said.text()
        assert "1 mã là hai hồ sơ khác nhau: --clashes both giữ cả hai" in said.text()
        # the window always has a choice for every conflict ("Giữ tất cả…" by default)
        assert ready.readiness(b, preview.results, chosen=ready.Chosen("keep", {},
                                                                       clashes=None)).can_start
        chose = import_packages(b, [package], dry_run=True, conflicts="keep")
        assert ready.readiness(b, chose.results, chose.crossed).can_start
    finally:
        a.close()
        b.close()


def test_a_code_of_several_versions_stops_until_one_is_chosen(tmp_path):
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    code = receive(a, "Người A", minutes=1, unit=CENTRE)[1]
    receive(b, "Người B", minutes=2, unit=CENTRE)
    packages = [tmp_path / "a.zip", tmp_path / "b.zip"]
    export_package(a, packages[0], SINCE)
    export_package(b, packages[1], SINCE)
    centre = installed(tmp_path / "centre.db", CENTRE, (2, 2))
    try:
        preview = import_packages(centre, packages, dry_run=True)
        assert [c.code for c in preview.crossed] == [code]
        said = ready.readiness(centre, preview.results, preview.crossed)
        assert said.kinds() == {ready.VERSIONS}
        assert said.text().startswith(f"1 mã có nhiều phiên bản chưa chọn ({code}): chọn đúng "
                                      "một phiên bản cho mỗi mã")
        assert "trong đó 1 mã là hai hồ sơ khác nhau: --clashes both giữ cả hai" in said.text()
        ident = preview.results[0].ident
        assert f"--choose {code}=" in said.text()
        picked = ready.Chosen("keep", {}, {code: ident})
        assert ready.readiness(centre, preview.results, preview.crossed, picked).can_start
    finally:
        for db in (a, b, centre):
            db.close()


def test_a_slot_not_yet_confirmed_stops_keeping_both_in_the_imports_words(tmp_path):
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    receive(a, "Người A", minutes=1, unit=CENTRE)
    receive(b, "Người B", minutes=2, unit=CENTRE)
    packages = [tmp_path / "a.zip", tmp_path / "b.zip"]
    export_package(a, packages[0], SINCE)
    export_package(b, packages[1], SINCE)
    centre = open_database(tmp_path / "centre.db")  # no slot: never asked, never issued
    try:
        preview = import_packages(centre, packages, dry_run=True, clashes=recode.BOTH)
        said = ready.readiness(centre, preview.results, preview.crossed)
        assert said.kinds() == {ready.CODES}
        with pytest.raises(InputError) as refused:
            import_packages(centre, packages, clashes=recode.BOTH)
        assert said.text() == str(refused.value)
        assert installation.unconfirmed_message() in said.text()
    finally:
        for db in (a, b, centre):
            db.close()


def test_the_command_says_the_rules_reason_in_a_dry_run_and_when_it_stops(copied_centre,
                                                                          capsys):
    copy, package = copied_centre
    db = open_database(copy)
    preview = import_packages(db, [package], dry_run=True, clashes=recode.BOTH)
    reason = ready.readiness(db, preview.results, preview.crossed).text()
    db.close()
    argv = ["--db", str(copy), "exchange", "import", str(package), "--conflicts", "keep",
            "--clashes", "both"]
    assert main.main([*argv, "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert f"{STOP_VI}\n  - {reason}" in out, out
    assert "cần máy này cấp mã mới" not in err  # said once: as the reason, not a note too
    assert main.main(argv) == 2
    _, err = capsys.readouterr()
    assert flat(reason) in flat(err) and "Traceback" not in err
    # a conflict with no choice: the dry run and the stopped import say the same reason
    argv = ["--db", str(copy), "exchange", "import", str(package)]
    assert main.main([*argv, "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    db = open_database(copy)
    preview = import_packages(db, [package], dry_run=True)
    reason = ready.readiness(db, preview.results, preview.crossed).text()
    db.close()
    assert reason.startswith("2 hồ sơ xung đột chưa chọn (gói b.zip: ")
    assert f"{STOP_VI}\n  - {reason}" in out, out
    assert main.main(argv) == 2
    _, err = capsys.readouterr()
    assert f"{STOPPED_VI}\n  - {reason}" in err, err
