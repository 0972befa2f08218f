"""Errors a user can act on: each says what went wrong, where, and how to fix it."""

from __future__ import annotations


class CckgError(Exception):
    """An error caused by input (a file, a query, a parameter), never a bug.

    The CLI prints it without a traceback and exits non-zero; the server answers it with
    a 4xx status.
    """

    #: The CLI's exit status: 2 for input the user must fix, 1 for data that fails a check.
    exit_code = 2

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None):
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [f"{self.where}: {self.what}" if self.where else self.what]
        if self.fix:
            parts.append(f"How to fix: {self.fix}")
        return "\n".join(parts)


class SyntaxErrorInFile(CckgError):
    """An RDF or SPARQL file that does not parse."""


class ValidationFailed(CckgError):
    """SHACL violations in the data."""

    exit_code = 1


class InconsistentOntology(CckgError):
    """The reasoner found the ontology and data inconsistent or a class unsatisfiable."""

    exit_code = 1


class CheckFailed(CckgError):
    """A quality-control query found problems in the data or ontology."""

    exit_code = 1


class UnknownQuery(CckgError):
    """A named query that does not exist."""


class BadParameter(CckgError):
    """A query parameter that is missing or malformed."""
