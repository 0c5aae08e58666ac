"""What Decision 766 counts travels in a package (format 2): a dossier's digitisation flags and
its complaints, so a centre's 4.2 and 5.4 equal the counters' and `check` finds nothing to
recompute. A version 1 package (before them) is still read, as holding none."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile

from core import complaints, intake
from core import dossiers as D
from core.database import open_database
from core.exchange import export_package, import_package
from core.exchange.package import MANIFEST
from core.indicators import compute
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import DAY, busy_day, office, with_sums

SINCE = dt.date(2025, 10, 1)
LATER = DAY + dt.timedelta(hours=3)


def _766(db) -> dict:
    return compute(db, DAY.date(), DAY.date() + dt.timedelta(days=30))["total"]["i766"]


def _complaints(db) -> list:
    return db.execute("SELECT d.code, c.unit_code, c.received_at, c.channel, c.content, "
                      "c.resolution, c.resolved_at, c.cancelled_at, c.cancel_reason FROM "
                      "complaints c JOIN dossiers d ON d.id = c.dossier_id "
                      "ORDER BY d.code, c.received_at").fetchall()


def _flags(db) -> list:
    return db.execute("SELECT code, digitised, result_digitised FROM dossiers "
                      "ORDER BY code").fetchall()


def _clean(db) -> bool:
    findings = audit_findings(db)
    assert all(f.ok for f in findings), [f.text for f in findings if not f.ok]
    return True


def _sender(counter) -> list[str]:
    codes = busy_day(counter)
    finished_id, _ = intake.receive(counter, unit_code="U1", procedure_code="P.WD2",
                                    applicant_name="Vi Văn Tài", digitised=True,
                                    received_at=DAY + dt.timedelta(minutes=40))
    D.finish(counter, finished_id, at=LATER, result_digitised=True)
    first = complaints.add_complaint(counter, finished_id, channel="phone", content="Chậm trả",
                                     received_at=LATER + dt.timedelta(minutes=5))
    complaints.resolve_complaint(counter, first, resolution="Đã giải thích",
                                 resolved_at=LATER + dt.timedelta(minutes=30))
    wrong = complaints.add_complaint(counter, finished_id, channel="direct", content="Nhầm",
                                     received_at=LATER + dt.timedelta(minutes=6))
    complaints.cancel_complaint(counter, wrong, reason="Ghi nhầm hồ sơ",
                                at=LATER + dt.timedelta(minutes=7))
    return codes


def test_flags_and_complaints_reach_the_centre(counter, tmp_path):
    _sender(counter)
    package = tmp_path / "p.zip"
    export_package(counter, package, SINCE)
    centre = open_database(tmp_path / "centre.db")
    try:
        assert import_package(centre, package).written
        assert _flags(centre) == _flags(counter)
        assert _complaints(centre) == _complaints(counter) and len(_complaints(centre)) == 2
        assert _766(centre) == _766(counter)
        assert _clean(centre)
        again = import_package(centre, package)  # idempotent
        assert again.dossiers == {"identical": 4}, again.dossiers
    finally:
        centre.close()


def test_a_later_package_brings_a_complaint_and_its_answer(counter, tmp_path):
    codes = _sender(counter)
    export_package(counter, tmp_path / "a.zip", SINCE)
    centre = open_database(tmp_path / "centre.db")
    try:
        import_package(centre, tmp_path / "a.zip")
        dossier_id = D.find_by_code(counter, codes[0])
        added = complaints.add_complaint(counter, dossier_id, channel="online", content="Hỏi lại",
                                         received_at=LATER + dt.timedelta(hours=1))
        complaints.resolve_complaint(counter, added, resolution="Đã trả lời",
                                     resolved_at=LATER + dt.timedelta(hours=2))
        export_package(counter, tmp_path / "b.zip", SINCE)
        assert import_package(centre, tmp_path / "b.zip").written
        assert _complaints(centre) == _complaints(counter) and len(_complaints(centre)) == 3
        assert _766(centre) == _766(counter)
        assert _clean(centre)
    finally:
        centre.close()


def _as_version_1(source, target) -> None:
    """The package as MotCua wrote it before format 2: no flags, no complaints."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        parts = {name: old.read(name) for name in old.namelist()}
        lines = []
        for line in parts["dossiers.jsonl"].decode().splitlines():
            record = json.loads(line)
            del record["fields"]["digitised"], record["fields"]["result_digitised"]
            del record["complaints"]
            lines.append(json.dumps(record, ensure_ascii=False))
        parts["dossiers.jsonl"] = ("\n".join(lines) + "\n").encode()
        manifest = json.loads(parts[MANIFEST])
        manifest["format_version"] = 1
        for name in manifest["parts"]:
            manifest["parts"][name]["sha256"] = hashlib.sha256(parts[name]).hexdigest()
        parts[MANIFEST] = json.dumps(manifest).encode()
        with_sums(parts)
        for name, data in parts.items():
            new.writestr(name, data)


def test_a_version_1_package_is_read_as_holding_no_flags_or_complaints(tmp_path):
    sender = office(tmp_path / "old.db")
    try:
        busy_day(sender)
        export_package(sender, tmp_path / "v2.zip", SINCE, format_version=2)
        expected = _flags(sender)
    finally:
        sender.close()
    _as_version_1(tmp_path / "v2.zip", tmp_path / "v1.zip")
    centre = open_database(tmp_path / "centre.db")
    try:
        assert import_package(centre, tmp_path / "v1.zip").written
        assert _flags(centre) == expected and _complaints(centre) == []
        assert _clean(centre)
    finally:
        centre.close()
