"""Kernel-level network isolation for query worker processes (Linux seccomp).

pyoxigraph fetches the IRI of a SERVICE clause and has no switch to stop it. The
endpoint refuses SERVICE and LOAD lexically (sparql_lex.py); as a second line of
defence each query worker installs a seccomp filter before it opens the store, so that
`socket()` for any family but AF_UNIX fails with EPERM: a query that slipped past the
lexer still cannot open a TCP connection. The pipe to the server is an AF_UNIX socket
pair the worker already holds, so it keeps working.

Where seccomp is unavailable (not Linux, no libseccomp.so.2) the worker still runs, and
`block_network` says why, so the server can warn that fetching is blocked lexically only.
"""

from __future__ import annotations

import errno
import socket
import sys

LEXICAL_ONLY = "SERVICE and LOAD are refused by a lexical check only"
ISOLATED = "SERVICE and LOAD are refused, and query workers cannot open network sockets"


def block_network() -> str | None:
    """Make socket() fail with EPERM for every family but AF_UNIX, in this process.

    Returns None when the filter is installed, else the reason it could not be. The
    filter applies to all threads of the process and to its future children, and
    cannot be removed. io_uring (which can open sockets too) is refused as well.
    """
    if not sys.platform.startswith("linux"):
        return f"seccomp needs Linux (this is {sys.platform})"
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError) as exc:
        return f"libseccomp is not available ({exc})"
    try:
        refuse = seccomp.ERRNO(errno.EPERM)
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)
        rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            try:
                rules.add_rule(refuse, call)
            except (OSError, ValueError):
                continue  # a libseccomp too old to know this call; the kernel may lack it too
        rules.load()
    except (OSError, ValueError, RuntimeError) as exc:
        return f"the seccomp filter could not be installed ({exc})"
    return None
