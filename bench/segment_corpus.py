#!/usr/bin/env python3
"""Builds the segmentation benchmark corpus: every text of the corpora under ../shared/data
(sentiment sets, news titles, Weibo fake news), one per line, UTF-8, all of them (repeated if
needed until the corpus reaches --min-mb, default 20 MB). Usage: bench/segment_corpus.py OUT [--min-mb 20]"""
import argparse
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("YQ_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
FILES = [
    ("weibo_senti_100k/data.tsv", "tsv"), ("weibo2018/train.txt", "csv3"),
    ("ChnSentiCorp_htl_all/data.tsv", "tsv"), ("ChnSentiCorp_12k/train.tsv", "tsv"),
    ("waimai_10k/data.tsv", "tsv"), ("online_shopping_10_cats/data.tsv", "tsv"),
    ("toutiao_news_titles/data.tsv", "tsv"), ("weibo21_fake_news/train.tsv", "tsv"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--min-mb", type=float, default=20.0)
    args = ap.parse_args()
    texts = []
    for rel, kind in FILES:
        with open(os.path.join(DATA, rel), encoding="utf-8", newline="") as f:
            for line in f.read().split("\n"):
                parts = line.split("\t", 1) if kind == "tsv" else line.split(",", 2)[1:]
                if len(parts) == 2 and parts[1].strip():
                    texts.append(parts[1].replace("\r", " "))
    out, size, i = [], 0, 0
    while size < args.min_mb * 1e6 or i < len(texts):
        t = texts[i % len(texts)]
        out.append(t)
        size += len(t.encode("utf-8")) + 1
        i += 1
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")
    print(f"{args.out}: {len(out)} lines, {size / 1e6:.1f} MB ({len(texts)} distinct texts)")


if __name__ == "__main__":
    main()
