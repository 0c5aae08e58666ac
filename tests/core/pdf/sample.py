"""A small, deterministic office for the document tests: a district with three units below it,
four procedures and a few hundred dossiers around October 2026, written with plain SQL in one
transaction and then refreshed (core.facts)."""
from __future__ import annotations

import datetime as dt
import random

from core import facts
from db import settings
from db.connection import transaction

# the sample office prints the header of the district it describes (a new database has none)
HEADER = {"parent_agency": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
          "agency": "ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN", "place": "Văn Quan",
          "recipients": ["UBND tỉnh Lạng Sơn", "Văn phòng UBND tỉnh", "Lưu: VT"]}


def put_header(db) -> None:
    settings.put(db, "report_header", dict(settings.DEFAULTS["report_header"], **HEADER))

UNITS = [
    ("H01", "UBND huyện Văn Quan", "district", None),
    ("X01", "UBND xã Văn An", "commune", "H01"),
    ("X02", "UBND xã Tràng Phái", "commune", "H01"),
    ("P01", "Phòng Tư pháp", "department", "H01"),
]
PROCEDURES = [
    # code, name, limit_value, limit_unit, fee, online_level, paper_result
    ("1.001193", "Đăng ký khai sinh", 3, "working_days", 0, "full", 1),
    ("1.004227", "Cấp bản sao trích lục hộ tịch", 1, "working_days", 8000, "full", 0),
    ("2.000635", "Chứng thực bản sao từ bản chính giấy tờ", 0, "same_day", 2000, "none", 0),
    ("1.003596", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
     10, "working_days", 100000, "partial", 1),
]
RATINGS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
NAMES = ("Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Hoàng Yến", "Phạm Quốc Việt", "Hoàng Thị Ưng",
         "Vũ Đình Lộc", "Đặng Thu Hằng", "Bùi Ngọc Ẩn")

INSERT = ("INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, applicant_phone,"
          " applicant_address, channel, received_at, status, finished_at, returned_at,"
          " extended_due_at, e_result, copies) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")


def _t(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _working_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(rng.choice((7, 8, 9, 10, 14, 15, 16)),
                                            rng.choice((0, 15, 30, 45))))


def _dossier(rng: random.Random, unit: str, day: dt.date, seq: int) -> list:
    received = _working_moment(rng, day)
    procedure = rng.choice(PROCEDURES)
    status = rng.choices(("returned", "done", "rejected", "processing", "received",
                          "supplement", "withdrawn"), (40, 15, 3, 15, 8, 4, 3))[0]
    finished = returned = None
    if status in ("returned", "done", "rejected", "withdrawn"):
        finished = received + dt.timedelta(hours=rng.choice((2, 20, 50, 100, 200, 400)))
    if status == "returned":
        returned = finished + dt.timedelta(hours=rng.choice((1, 30)))
    phone = f"09{rng.randrange(10**8):08d}"
    return [f"{unit}-{received:%y%m%d}-{seq:04d}", unit, procedure[0], rng.choice(NAMES), phone,
            f"Thôn Bản Đáng {seq % 7 + 1}, {unit}", rng.choice(("direct", "online", "postal")),
            _t(received), status, _t(finished) if finished else None,
            _t(returned) if returned else None, None, rng.randint(0, 1), rng.randint(1, 2)]


def seed(db, start=dt.date(2026, 8, 20), end=dt.date(2026, 11, 10), per_day: int = 3,
         seed_value: int = 7) -> None:
    rng = random.Random(seed_value)
    put_header(db)
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         UNITS)
        conn.executemany(
            "INSERT INTO procedures(code, name, limit_value, limit_unit, fee, online_level,"
            " paper_result) VALUES (?,?,?,?,?,?,?)", PROCEDURES)
        day, seq = start, 0
        while day <= end:
            for unit in ("H01", "X01", "X02", "P01")[: rng.randint(1, 4)]:
                for _ in range(rng.randint(0, per_day)):
                    seq += 1
                    conn.execute(INSERT, _dossier(rng, unit, day, seq))
            for _ in range(rng.randint(0, 3)):
                conn.execute("INSERT INTO votes(unit_code, voted_at, rating) VALUES (?,?,?)",
                             [rng.choice(UNITS)[0], _t(_working_moment(rng, day)),
                              rng.choices(RATINGS, (50, 35, 10, 5))[0]])
            day += dt.timedelta(days=1)
        _payments_and_waits(conn, rng)
        ids = [r[0] for r in conn.execute("SELECT id FROM dossiers")]
        facts.refresh(db, ids)
        for unit, voted_at, rating in conn.execute("SELECT unit_code, voted_at, rating FROM votes"
                                                   ).fetchall():
            facts.count_vote(conn, unit, voted_at, rating)


def _payments_and_waits(conn, rng: random.Random) -> None:
    rows = conn.execute("SELECT d.id, d.received_at, d.status, p.fee FROM dossiers d "
                        "JOIN procedures p ON p.code = d.procedure_code").fetchall()
    for dossier_id, received, status, fee in rows:
        if fee and rng.random() < 0.5:
            conn.execute("INSERT INTO payments(dossier_id, amount, method, paid_at) VALUES (?,?,?,?)",
                         [dossier_id, fee, rng.choice(("online", "cash")), received])
        if status == "supplement":
            start = dt.datetime.fromisoformat(received) + dt.timedelta(hours=3)
            conn.execute("INSERT INTO supplements(dossier_id, requested_at, reason) VALUES (?,?,?)",
                         [dossier_id, _t(start), "Thiếu bản sao giấy tờ tùy thân"])


def add_extension(db, code: str, new_due: dt.datetime, reason: str) -> None:
    """Give dossier `code` its one extension (Mẫu 04), as core.dossiers.extend records it."""
    with transaction(db) as conn:
        dossier_id, due = conn.execute("SELECT id, calc_due_at FROM dossiers WHERE code = ?",
                                       [code]).fetchone()
        conn.execute("INSERT INTO extensions(dossier_id, extended_at, previous_due_at, new_due_at,"
                     " reason) VALUES (?,?,?,?,?)", [dossier_id, due, due, _t(new_due), reason])
        conn.execute("UPDATE dossiers SET extended_due_at = ? WHERE id = ?",
                     [_t(new_due), dossier_id])
        facts.refresh(db, [dossier_id])


def add_dossier(db, code: str, unit: str, received: dt.datetime, *, status: str = "received",
                procedure: str = "1.001193", name: str = "Nguyễn Thị Ánh",
                phone: str | None = "0382123428", finished: dt.datetime | None = None,
                channel: str = "direct") -> int:
    """One dossier with exactly these values (units and procedures must exist)."""
    with transaction(db) as conn:
        conn.execute(INSERT, [code, unit, procedure, name, phone, "Thôn Nà Lầu", channel,
                                       _t(received), status, _t(finished) if finished else None,
                                       None, None, 0, 1])
        made = conn.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()[0]
        facts.refresh(db, [made])  # the view's INSTEAD OF INSERT leaves lastrowid alone
    return made


def resolved_by(db, code: str, unit: str, received: dt.datetime, competent: str) -> int:
    """`add_dossier` received at `unit` for the `competent` unit to resolve (a district's
    one-stop receiving for its department)."""
    made = add_dossier(db, code, unit, received)
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET competent_unit_code = ? WHERE id = ?", [competent, made])
    facts.refresh(db, [made])
    return made


def catalogue_only(db) -> None:
    """Units and procedures of the sample office, no dossiers."""
    put_header(db)
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         UNITS)
        conn.executemany(
            "INSERT INTO procedures(code, name, limit_value, limit_unit, fee, online_level,"
            " paper_result) VALUES (?,?,?,?,?,?,?)", PROCEDURES)
