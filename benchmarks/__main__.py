"""`python -m benchmarks`: run every benchmark."""

from benchmarks.server import main

if __name__ == "__main__":
    main()
