"""An explicit loop runs every step in the interpreter."""


def total_of(values):
    total = 0
    for i in range(len(values)):
        total = total + values[i]
    return total


def main():
    values = list(range(200_000))
    print(sum(total_of(values) for _ in range(50)))


if __name__ == "__main__":
    main()
