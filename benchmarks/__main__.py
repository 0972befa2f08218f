"""`python -m benchmarks`: run every benchmark."""

from benchmarks import abandoned, server, speed

if __name__ == "__main__":
    server.main([])
    abandoned.main([])
    speed.main([])
