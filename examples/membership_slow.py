"""Membership tests against a list scan every element."""


def count_known(known, queries):
    return sum(1 for q in queries if q in known)


def main():
    known = list(range(0, 20000, 2))
    queries = range(6000)
    print(count_known(known, queries))


if __name__ == "__main__":
    main()
