"""MotCua's rules: plain Python, no Qt (a test enforces it)."""
