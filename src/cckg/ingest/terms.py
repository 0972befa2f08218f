"""The terms of a commitment, declared once for the extractor's candidates and the review
sheet's rows: who commits, for which places and sectors, by when, how strongly, to how
much, and in which words of the document."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class CommitmentTerms:
    """What one commitment states (a candidate proposes it, a sheet row confirms it)."""

    committer: str
    places: list[str]
    sectors: list[str]
    target_year: int | None
    base_year: int | None
    timing: str | None
    earlier_if_possible: bool
    strength: str
    metric: str | None
    value: Decimal | None
    value_min: Decimal | None
    value_max: Decimal | None
    unit: str | None
    approximate: bool
    relative_to_peak: bool
    quote: str
