"""A deliberately slow little program for a profiling lesson.

It builds a word-frequency report over generated text, finds primes by trial
division, sorts with a hand-written insertion sort and computes Fibonacci
numbers recursively: four classic hot spots a class can find in a flame graph.
"""
import json
import random
import re
import sys
from collections import Counter

WORDS = ("flame", "graph", "stack", "sample", "python", "profile", "frame",
         "callee", "caller", "thread", "kernel", "native", "cache", "loop")


def make_text(n_words, rng):
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def tokenize(text):
    return re.findall(r"[a-z]+", text.lower())


def count_words(tokens):
    counts = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    return counts


def count_words_fast(tokens):
    return Counter(tokens)


def is_prime(n):
    if n < 2:
        return False
    for d in range(2, int(n ** 0.5) + 1):
        if n % d == 0:
            return False
    return True


def primes_below(limit):
    return [n for n in range(limit) if is_prime(n)]


def insertion_sort(values):
    values = list(values)
    for i in range(1, len(values)):
        key = values[i]
        j = i - 1
        while j >= 0 and values[j] > key:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = key
    return values


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def report(counts, primes, ordered, fibs):
    return json.dumps({
        "top_words": sorted(counts.items(), key=lambda kv: -kv[1])[:5],
        "primes": len(primes),
        "largest_prime": primes[-1],
        "median": ordered[len(ordered) // 2],
        "fib": fibs,
    }, indent=2)


def main(scale):
    rng = random.Random(42)
    text = make_text(200_000 * scale, rng)
    tokens = tokenize(text)
    counts = count_words(tokens)
    assert counts == count_words_fast(tokens)
    primes = primes_below(150_000 * scale)
    ordered = insertion_sort(rng.random() for _ in range(1_500 * scale))
    fibs = [fib(n) for n in range(24 + scale)]
    print(report(counts, primes, ordered, fibs))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
