#!/usr/bin/env python3
"""Writes a folded-stacks file shaped like `perf script | stackcollapse` output
of a large C++ program: sorted lines, deep stacks, long mangled-looking names.

usage: gen-folded.py OUT SIZE_MB DISTINCT_STACKS [SEED]
"""
import random
import sys

out, size_mb, distinct = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)

words = ["parse", "render", "layout", "compute", "hash", "alloc", "free", "visit",
         "emit", "lookup", "insert", "scan", "merge", "sort", "flush", "read", "write"]
modules = ["core", "engine", "io", "net", "gfx", "util", "db", "text"]

def name():
    ns = rng.choice(modules)
    return "%s::%s_%s<%s>(%s)" % (ns, rng.choice(words), rng.choice(words), rng.choice(modules),
                                  ", ".join(rng.choice(["int", "char const*", "std::string&", "double"])
                                            for _ in range(rng.randint(0, 3))))

funcs = [name() for _ in range(20000)]
children = {}

def kids(f):
    if f not in children:
        children[f] = rng.sample(range(len(funcs)), rng.randint(2, 6))
    return children[f]

stacks = set()
roots = rng.sample(range(len(funcs)), 8)
while len(stacks) < distinct:
    f = rng.choice(roots)
    path = [f]
    depth = rng.randint(4, 22)
    while len(path) < depth:
        f = rng.choice(kids(f))
        path.append(f)
    stacks.add(tuple(path))

lines = sorted(";".join(funcs[i] for i in s) for s in stacks)
body_size = sum(len(l) + 8 for l in lines)
repeat = max(1, int(size_mb * 1e6 / body_size + 0.5))
with open(out, "w") as f:
    for r in range(repeat):
        for l in lines:
            f.write("%s %d\n" % (l, rng.randint(1, 50)))
