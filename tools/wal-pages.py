#!/usr/bin/env python3
"""Which B-trees (tables and indexes) each SQLite write transaction changes, and how many pages.

A commit costs about its pages' count (docs/benchmarks.md), so this is what to read before
trying to make a write cheaper. While a run writes to a database file, `watch` copies its
write-ahead log every 20 ms and keeps each committed transaction's page numbers (a transaction
is the frames up to one marked as a commit, within one generation of the log); afterwards
`report` names each page's B-tree from the finished file (SQLite's dbstat table) and groups
the transactions by the B-trees they changed, most frequent first.

    guildhall bench contracts --contracts 4000 --database-url /tmp/w/bench.db &
    python3 tools/wal-pages.py watch /tmp/w/bench.db 100 /tmp/w/tx.json
    python3 tools/wal-pages.py report /tmp/w/bench.db /tmp/w/tx.json

Pages freed and used again for another B-tree during the run are named after their last use.
"""

import collections
import json
import struct
import sys
import time
import sqlite3

HEADER = 32
FRAME_HEADER = 24


def transactions_in(log: bytes):
    """The committed transactions of the log's current generation: (salts, first frame, pages)."""
    if len(log) < HEADER:
        return
    _, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">8I", log[:HEADER])
    frame = FRAME_HEADER + page_size
    pages, first = [], 0
    for i in range((len(log) - HEADER) // frame):
        at = HEADER + i * frame
        page, commit, s1, s2 = struct.unpack(">4I", log[at : at + 16])
        if (s1, s2) != (salt1, salt2):
            break
        pages.append(page)
        if commit:
            yield (salt1, salt2, first), pages
            pages, first = [], i + 1


def watch(database: str, seconds: float, out: str):
    seen = {}
    until = time.time() + seconds
    while time.time() < until:
        try:
            with open(database + "-wal", "rb") as f:
                log = f.read()
        except FileNotFoundError:
            log = b""
        for key, pages in transactions_in(log):
            seen[key] = pages
        time.sleep(0.02)
    with open(out, "w") as f:
        json.dump(list(seen.values()), f)
    print(f"{len(seen)} transactions kept in {out}")


def report(database: str, kept: str, shown: int = 20):
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    owner = dict((page, name) for name, page in db.execute("SELECT name, pageno FROM dbstat"))
    with open(kept) as f:
        transactions = json.load(f)
    groups = collections.defaultdict(list)
    for pages in transactions:
        trees = collections.Counter(owner.get(p, "?") for p in set(pages))
        groups[frozenset(trees)].append(trees)
    for trees, members in sorted(groups.items(), key=lambda g: -len(g[1])):
        if shown == 0:
            break
        shown -= 1
        count = len(members)
        pages = sum(sum(t.values()) for t in members) / count
        total = collections.Counter()
        for t in members:
            total.update(t)
        print(f"{count:7d} transactions, {pages:5.1f} pages each, {len(trees)} B-trees:")
        print("        " + ", ".join(f"{name} {n / count:.2f}" for name, n in total.most_common()))


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["watch", database, seconds, out]:
            watch(database, float(seconds), out)
        case ["report", database, kept]:
            report(database, kept)
        case _:
            sys.exit(__doc__)
