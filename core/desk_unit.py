"""Which unit a form that records for a unit opens on: intake, the paper vote, the kiosk.

At a counter PC shared by the clerks of several units the preset was the PC's last choice (or
the first unit of the list): the next clerk to sign in received their citizens' dossiers under
the previous clerk's unit — its code, its row in the reports, its header on the receipt —
unless they noticed the top line (try25 F2). Keeping the last choice per login is what fixes
that: no other clerk's choice can leak. The rule, in this order:

1. the signed-in account's last choice on this form (kept per account, never per PC), while
   the form still lists it: a centre clerk who receives for other units is not reset to
   their account's unit at every intake (review25 finding 4);
2. else the account's own unit (accounts.unit_code), when the form lists it;
3. else the office's own desk, answered at the first start (core.office_setup.home_unit);
4. else the first unit listed.
"""
from __future__ import annotations

from collections.abc import Sequence

from core import accounts, office_setup
from db import actor as actors


def own_unit(db) -> str | None:
    """The signed-in account's unit, None with nobody signed in or an account without one."""
    who = actors.signed_in()
    account = accounts.get(db, who.login) if who is not None else None
    return account.unit_code if account is not None else None


def preset(db, codes: Sequence[str], last: str | None) -> str | None:
    """The unit among `codes` (the form's list) a form opens on; `last` is the signed-in
    account's last choice on this form (the caller keeps it), None if it has none."""
    for code in (last, own_unit(db), office_setup.home_unit(db)):
        if code is not None and code in codes:
            return code
    return codes[0] if codes else None
