"""Performance harness (`make bench`); never part of `make test`."""
