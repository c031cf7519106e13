"""Building a long string with += copies everything written so far each time.

The text lives on an object, as it often does in real code, where CPython's
in-place shortcut for local variables does not apply."""


class Report:
    def __init__(self):
        self.text = ""

    def add(self, line):
        self.text += line


def build(n):
    report = Report()
    for i in range(n):
        report.add("line %d of the report\n" % i)
    return report.text


def main():
    print(len(build(12000)))


if __name__ == "__main__":
    main()
