"""Đối chiếu với hệ thống tỉnh: the window of issue 16 §2 (core.reconcile)."""
