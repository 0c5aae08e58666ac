"""Keeping the clerk's data safe (spec 6): `backup`, `restore`, `check`.

- `backup.make_backup` / `backup.auto_backup`: consistent copies with SQLite's online backup API,
  safe while the app is running; automatic copies are thinned like Anki's.
- `restore.restore`: put a backup back, refusing anything that is not a healthy MotCua database.
- `check.check_database`: integrity, foreign keys, schema version and derived indicator data.
- `encryption`: the `.db.enc` format of backups encrypted with a passphrase (scrypt, AES-GCM).

The command-line entry points are in `commands`.
"""
from core.maintenance.backup import auto_backup, make_backup
from core.maintenance.check import check_database
from core.maintenance.restore import check_backup, restore

__all__ = ["auto_backup", "make_backup", "check_backup", "check_database", "restore"]
