"""The program's version: shown to support, written into the Windows executable and installer."""

VERSION = "1.0.0"
# What a sender is told (the export window, `exchange export --help`; docs/updating.md): a
# receiver of an older schema refuses a package of a newer one, either format (schema 25, the
# votes' origin), so the centre is updated before its counters and communes. Plain data: main.py
# reads it at start.
UPDATE_ORDER_VI = ("Máy nhận chạy bản MotCua cũ hơn máy này sẽ từ chối gói (cả định dạng 2): "
                   "cập nhật máy trung tâm trước, rồi mới đến máy quầy, máy xã.")
