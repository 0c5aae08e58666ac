"""The administrator's "Dữ liệu cá nhân" window (core.privacy, docs/privacy.md)."""
