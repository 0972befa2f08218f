"""The build pipeline: load, validate, reason, qc, publish, release (never imports server)."""
