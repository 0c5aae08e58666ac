"""The citizen's satisfaction vote screen (issue 6). See docs/kiosk.md.

    run_kiosk(args) -> int                                   # python main.py kiosk
    open_kiosk_window(parent, db_path, unit_code, screen=None) -> KioskWindow   # from the app
"""
from gui.kiosk.launch import open_kiosk_window, run_kiosk, screen_choice
from gui.kiosk.window import KioskWindow

__all__ = ["KioskWindow", "open_kiosk_window", "run_kiosk", "screen_choice"]
