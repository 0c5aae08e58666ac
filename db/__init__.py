"""MotCua's SQLite database: connection, schema, migrations and settings. No Qt, no core."""
