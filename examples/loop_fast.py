"""The built-in sum() runs the same loop in C."""


def total_of(values):
    return sum(values)


def main():
    values = list(range(200_000))
    print(sum(total_of(values) for _ in range(50)))


if __name__ == "__main__":
    main()
