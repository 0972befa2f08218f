"""Documents in: register a policy text, extract candidate commitments by transparent rules,
review them on a sheet, accept the reviewed rows as Turtle (docs/ingest.md)."""
