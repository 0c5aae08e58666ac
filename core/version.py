"""The program's version: shown to support, written into the Windows executable and installer."""

VERSION = "1.1.0"
# The schema each published version writes. A release that changes the schema takes a new number:
# an older centre refuses its packages in words naming both programs ("gói do MotCua 1.1.0 xuất,
# theo lược đồ dữ liệu phiên bản 25, mới hơn lược đồ 24 của MotCua 1.0.0 ở máy này"), and its
# installer (MotCua-Setup-<version>.exe) must not carry the old one's name. Round 34's walk: the
# schema-25 release still said 1.0.0, so that refusal read "MotCua 1.0.0 … MotCua 1.0.0".
RELEASED = {"1.0.0": 24, "1.1.0": 25}
# `main.py --version` (docs/updating.md: which PC runs which version, before and after updating)
VERSION_TEXT = f"MotCua {VERSION} (lược đồ dữ liệu {RELEASED[VERSION]})"
# What a sender is told (the export window, `exchange export --help`; docs/updating.md): a
# receiver of an older schema refuses a package of a newer one, either format (schema 25, the
# votes' origin), so the centre is updated before its counters and communes. Plain data: main.py
# reads it at start.
UPDATE_ORDER_VI = ("Máy nhận chạy bản MotCua cũ hơn máy này sẽ từ chối gói (cả định dạng 2): "
                   "cập nhật máy trung tâm trước, rồi mới đến máy quầy, máy xã.")
