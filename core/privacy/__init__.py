"""Citizens' personal data as Law 91/2025/QH15 asks (issue 15 §3, docs/privacy.md).

- `masking`: the one rule that hides phones and ID numbers (and the kiosk's names), and the
  `FullData` pass a user with `personal.full` gets by stating a purpose;
- `access`: the append-only access log (who viewed, printed or exported personal data);
- `retention`: anonymising dossiers returned more than N years ago, figures untouched;
- `subject`: a data-subject request (find one person's dossiers, export, correct);
- `breach`: the breach kit (who was held, a draft notice for the 72 hours).
"""
