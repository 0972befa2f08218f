"""Converters from supplementary source files (data/source/) to Turtle under data/ttl/."""
