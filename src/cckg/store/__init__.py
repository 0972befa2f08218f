"""Where the graph is kept and queried: one `Store` interface, two implementations.

`cckg.store.embedded.EmbeddedStore` (pyoxigraph on disk, with killable query workers) and
`cckg.store.remote.RemoteStore` (a SPARQL 1.1 engine over HTTP). Only the interface's
light modules are imported here: query worker processes import this package too.
"""

from cckg.store.base import (
    UNION,
    Outcome,
    QueryDataset,
    QueryJob,
    QueryTimeout,
    Store,
    StoreBusy,
)

__all__ = [
    "UNION",
    "Outcome",
    "QueryDataset",
    "QueryJob",
    "QueryTimeout",
    "Store",
    "StoreBusy",
]
