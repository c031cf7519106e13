"""CPU-bound work in threads: the GIL lets one thread run Python at a time."""
import threading


def burn(n, out, slot):
    total = 0
    for i in range(n):
        total += i % 7
    out[slot] = total


def main():
    workers = 4
    out = [0] * workers
    threads = [threading.Thread(target=burn, args=(6_000_000, out, k)) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(sum(out))


if __name__ == "__main__":
    main()
