"""Collecting the pieces in a list and joining them once copies each byte once."""


class Report:
    def __init__(self):
        self.lines = []

    def add(self, line):
        self.lines.append(line)


def build(n):
    report = Report()
    for i in range(n):
        report.add("line %d of the report\n" % i)
    return "".join(report.lines)


def main():
    print(len(build(12000)))


if __name__ == "__main__":
    main()
