"""The program's version: shown to support, written into the Windows executable and installer."""

VERSION = "1.1.0"
# The rule: the version changes with every schema change (db.schema.SCHEMA_VERSION), its middle
# number at least. A package or a database of a newer schema is refused by an older program in
# words naming both versions ("gói do MotCua 1.1.0 xuất, theo lược đồ … 26, mới hơn lược đồ 25
# của MotCua 1.0.0 ở máy này … cập nhật … lên bản 1.1.0"), and its installer
# (MotCua-Setup-<version>.exe) must not carry the old one's name; one number for two schemas read
# "MotCua 1.0.0 … mới hơn … MotCua 1.0.0" (round 34's walk). RELEASED: the schema each published
# version writes; tests/test_version.py fails when a migration is added without both moved (and
# when the installer's default version is not this one).
# 1.0.0 wrote schema 24 until round 32 and 25 (the votes' origin) from round 33, which shipped
# it under that number: the last 1.0.0 in use writes 25. 1.1.0: 26 (the origin in the ledger's
# hash, db.ledger.WHEN_SET_FROM).
RELEASED = {"1.0.0": 25, "1.1.0": 26}
SCHEMA = RELEASED[VERSION]
# The program named in the exchange's rules fingerprint (core.exchange.records.rules_fingerprint):
# which program computed a package's derived data (due times, facts, search keys). It moves only
# when a release computes them otherwise in a way core.due.RULES_REVISION and the stored rules
# (calendar, hours, procedures, units) do not say. 1.1.0 computes them as 1.0.0 did (the facts of
# 50 × 20,000 computed again equal the kept ones, byte for byte: review34a), so a centre updated
# first keeps its senders' figures until they update too, instead of computing them all again
# (with VERSION here: 148 s of CPU for that merge against 70 s, docs/speed.md).
DERIVED_BY = "1.0.0"
# `main.py --version` (docs/updating.md: which PC runs which version, before and after updating)
VERSION_TEXT = f"MotCua {VERSION} (lược đồ dữ liệu {SCHEMA})"
# What a sender is told (the export window, `exchange export --help`; docs/updating.md): a
# receiver of an older schema refuses a package of a newer one, either format (schema 25, the
# votes' origin), so the centre is updated before its counters and communes. Plain data: main.py
# reads it at start.
UPDATE_ORDER_VI = ("Máy nhận chạy bản MotCua cũ hơn máy này sẽ từ chối gói (cả định dạng 2): "
                   "cập nhật máy trung tâm trước, rồi mới đến máy quầy, máy xã.")
