"""A list holds every value in memory before the first one is used."""


def readings(n):
    return [float(i) * 1.5 for i in range(n)]


def main():
    total = 0.0
    for value in readings(3_000_000):
        total += value
    print(total)


if __name__ == "__main__":
    main()
