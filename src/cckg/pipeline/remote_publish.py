"""Publish a build into a remote store: one Graph Store Protocol PUT per named graph.

The build's N-Quads dump keeps every source file in its own named graph (the same graph
IRIs as the dumps); each becomes one PUT, which replaces that graph on the engine (in one
transaction on Oxigraph; Virtuoso clears and then loads). Afterwards the engine's triple
count of every graph is compared with the build's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cckg.errors import CckgError
from cckg.store.base import Store

#: Called after each graph is loaded: graph IRI (None: default graph), its triple count.
OnGraph = Callable[[str | None, int], None]


class CountMismatch(CckgError):
    """The engine holds other triple counts than the build after publishing."""

    exit_code = 1


@dataclass
class PublishReport:
    """What was published: triples per graph, and graphs the engine has beyond the build."""

    counts: dict[str | None, int]
    extra_graphs: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(self.counts.values())


def graphs_of_dump(dump: Path) -> dict[str | None, list[ox.Triple]]:
    """The dump's triples by graph IRI (None: the default graph).

    A blank node shared by two graphs would split in two with one PUT per graph, so it is
    refused.
    """
    if not dump.is_file():
        raise CckgError("the build's N-Quads dump is missing", where=str(dump),
                        fix="run `cckg build` first (or give --dist-dir)")
    graphs: dict[str | None, list[ox.Triple]] = defaultdict(list)
    blank_graph: dict[str, str | None] = {}
    try:
        for quad in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS):
            name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            for term in (quad.subject, quad.object):
                if (isinstance(term, ox.BlankNode)
                        and blank_graph.setdefault(term.value, name) != name):
                        raise CckgError(
                            f"blank node _:{term.value} is in two graphs "
                            f"({blank_graph[term.value]} and {name})",
                            where=str(dump),
                            fix="give the node an IRI: the Graph Store Protocol loads each "
                            "graph on its own",
                        )
            graphs[name].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except SyntaxError as exc:
        raise CckgError(f"not valid N-Quads: {exc}", where=str(dump),
                        fix="rebuild the dump with `cckg build`") from exc
    return dict(graphs)


def publish_graphs(
    graphs: dict[str | None, list[ox.Triple]], store: Store, on_graph: OnGraph | None = None
) -> PublishReport:
    """Replace each graph in `store` (see `graphs_of_dump`), then check the engine's counts."""
    counts: dict[str | None, int] = {}
    for name, triples in sorted(graphs.items(), key=lambda item: item[0] or ""):
        store.replace_graph(name, triples)
        counts[name] = len(triples)
        if on_graph is not None:
            on_graph(name, len(triples))
    return PublishReport(counts, extra_graphs=verify(store, counts))


def verify(store: Store, counts: dict[str | None, int]) -> list[str]:
    """Check the engine's count of every published graph; return graphs it has beyond them."""
    remote = store.graph_counts()
    problems = [
        f"{name or 'default graph'}: build {expected:,}, engine "
        f"{store.default_graph_count() if name is None else remote.get(name, 0):,}"
        for name, expected in sorted(counts.items(), key=lambda item: item[0] or "")
        if expected != (store.default_graph_count() if name is None else remote.get(name, 0))
    ]
    if problems:
        raise CountMismatch(
            "the engine's triple counts differ from the build's: " + "; ".join(problems),
            where="after publishing",
            fix="check the engine's log (a literal it rewrote or refused, a full disk) and "
            "publish again",
        )
    return sorted(set(remote) - {name for name in counts if name is not None})
