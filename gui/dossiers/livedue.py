"""Moved to core.live_due (plain logic, no Qt); this name stays for code written against it."""
from core.live_due import *  # noqa: F401,F403
from core.live_due import (CLASS_VI, LIVE_TABLE, OPEN, SOON_DAYS, clerk_policy,  # noqa: F401
                           dossier_due, finished_class, ids_in, load_waits, refresh_live_table,
                           soon_limit, span_text, time_left_text, today_counts, unit_subtree)
