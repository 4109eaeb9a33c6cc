#!/usr/bin/env python3
"""Compares a `--verify` output (govmedia-bench, or xmlx -v) with a corpus truth file.

    python3 Benchmarks/compare-truth.py /tmp/perf/truth_feeds.tsv out.tsv

Both are file<TAB>title<TAB>link<TAB>date lines (gen.py's truth_feeds.tsv / truth_html.tsv).
Rows are compared in order, per file: every truth row must appear, field for field, and
nothing else. Prints the counts and the first differences; exits 1 on any difference.
"""
import sys
from collections import defaultdict


def rows(path):
    out = defaultdict(list)
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            cols += [""] * (4 - len(cols))
            out[cols[0]].append(tuple(cols[:4]))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    truth, got = rows(sys.argv[1]), rows(sys.argv[2])
    total = sum(len(v) for v in truth.values())
    matched, diffs = 0, []
    fields = ("file", "title", "link", "date")
    for name, want in truth.items():
        have = got.get(name, [])
        if len(have) != len(want):
            diffs.append(f"{name}: {len(have)} items, truth has {len(want)}")
        for w, h in zip(want, have):
            if w == h:
                matched += 1
            else:
                bad = [f"{fields[k]}: {h[k]!r} != truth {w[k]!r}" for k in range(4) if w[k] != h[k]]
                diffs.append(f"{name}: " + "; ".join(bad))
    extra = [n for n in got if n not in truth]
    for n in extra:
        diffs.append(f"{n}: not in the truth file ({len(got[n])} items)")
    got_total = sum(len(v) for v in got.values())
    print(f"{matched} of {total} truth rows match ({got_total} rows read, {len(diffs)} differences)")
    for d in diffs[:20]:
        print("  " + d)
    sys.exit(0 if matched == total and got_total == total and not diffs else 1)


if __name__ == "__main__":
    main()
