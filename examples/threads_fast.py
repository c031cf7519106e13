"""CPU-bound work in processes: each has its own interpreter and runs on its own core."""
from multiprocessing import Pool


def burn(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total


def main():
    workers = 4
    with Pool(workers) as pool:
        print(sum(pool.map(burn, [6_000_000] * workers)))


if __name__ == "__main__":
    main()
