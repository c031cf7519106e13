"""CPU-bound pure-Python work for bench/python-sampler.sh.

    python-cpu.py [--work UNITS] [--depth D] [--threads T]

Runs a fixed amount of work at the bottom of a D-frame Python stack, split
over T threads (the main thread included), and prints the seconds it took.
"""
import argparse
import threading
import time


def work(units):
    total = 0
    for i in range(units):
        total += (i * i) % 7 + (i ^ 5) - (i >> 3)
    return total


def descend(depth, units):
    if depth <= 1:
        return work(units)
    return descend(depth - 1, units)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=int, default=20_000_000)
    parser.add_argument("--depth", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    # <module>, main and work count towards the depth.
    depth = max(1, args.depth - 3)
    start = time.perf_counter()
    if args.threads == 1:
        descend(depth, args.work)
    else:
        # The main thread is one of the T threads.
        share = args.work // args.threads
        threads = [threading.Thread(target=descend, args=(depth, share), name=f"worker-{i + 1}")
                   for i in range(args.threads - 1)]
        for t in threads:
            t.start()
        descend(depth, share)
        for t in threads:
            t.join()
    print(f"{time.perf_counter() - start:.4f}")


main()
