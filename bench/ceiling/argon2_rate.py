"""argon2id verifications per second on all cores at patron's parameters (the login ceiling).

One thread per core verifies the same hash in a loop for a fixed time (argon2-cffi releases the
GIL while hashing). Prints one JSON object. Usage: python bench/ceiling/argon2_rate.py [seconds]
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

from argon2 import PasswordHasher, Type

from patron.settings import Settings


def main(seconds: float) -> None:
    params = Settings().argon2
    hasher = PasswordHasher(
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        type=Type.ID,
    )
    stored = hasher.hash("Bench-Pass-123")
    threads = os.cpu_count() or 1
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def work(slot: int) -> None:
        while time.perf_counter() < deadline:
            hasher.verify(stored, "Bench-Pass-123")
            counts[slot] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "threads": threads,
                "memory_cost": params.memory_cost,
                "time_cost": params.time_cost,
                "parallelism": params.parallelism,
                "per_second": sum(counts) / elapsed,
                "ms_per_verify_one_core": 1000 * elapsed * threads / max(1, sum(counts)),
            }
        )
    )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)
