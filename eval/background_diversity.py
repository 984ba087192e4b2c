#!/usr/bin/env python3
"""How varied is the demo's background talk, beside real Weibo posts at the same rate?

Generated everyday talk must be as varied as what people write, or the clusterer sees every post
resemble every other and glues days of it into one event (data/demo/README.md). For the demo's
background (scripts/demo_background.py, default seed) and for as many real posts of
weibo_senti_100k (../shared/data) placed at the same times, this prints:
  - distinct character bigrams (CJK only) over the posts;
  - the share of bigram occurrences whose bigram is in 0.3 %–5 % of the posts (mid-frequency:
    shared phrases that make unrelated posts look alike);
  - what `yuqing cluster` makes of each stream: events, the largest three, and merges.

    python3 eval/background_diversity.py --yuqing build/release/yuqing [--data ../shared/data]
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def bigrams(text):
    t = re.sub(r"[^\u4e00-\u9fff]", "|", text)
    return {t[i:i + 2] for i in range(len(t) - 1) if "|" not in t[i:i + 2]}


def diversity(texts):
    df = collections.Counter()
    for t in texts:
        df.update(bigrams(t))
    occ = sum(df.values())
    lo, hi = 0.003 * len(texts), 0.05 * len(texts)
    mid = sum(v for v in df.values() if lo <= v <= hi)
    return len(df), mid / max(1, occ)


def cluster(yuqing, path):
    with tempfile.TemporaryDirectory() as d:
        merges = os.path.join(d, "merges.ndjson")
        out = subprocess.run([yuqing, "cluster", "--merges-out", merges, path], check=True,
                             capture_output=True, text=True).stdout
        into = {}
        for line in open(merges, encoding="utf-8"):
            m = json.loads(line)
            into[m["from"]] = m["into"]
    def resolve(e):
        while e in into:
            e = into[e]
        return e
    size = collections.Counter(resolve(json.loads(l)["event"]) for l in out.splitlines() if l)
    return len(size), [n for _, n in size.most_common(3)], len(into)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--yuqing", default=os.path.join(ROOT, "build/release/yuqing"))
    ap.add_argument("--data", default=os.path.join(ROOT, "../shared/data"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        bg = os.path.join(d, "background.ndjson")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/demo_background.py"), "--out", bg],
                       check=True)
        recs = [json.loads(l) for l in open(bg, encoding="utf-8")]
        rows = [l.rstrip("\n").split("\t")[-1]
                for l in open(os.path.join(args.data, "weibo_senti_100k/data.tsv"), encoding="utf-8")]
        real = random.Random(1).sample(rows, len(recs))
        weibo = os.path.join(d, "weibo.ndjson")
        with open(weibo, "w", encoding="utf-8") as f:
            for i, (r, text) in enumerate(zip(recs, real)):
                f.write(json.dumps({"id": f"w{i}", "published_at": r["published_at"], "text": text},
                                   ensure_ascii=False) + "\n")
        print(f"# python3 eval/background_diversity.py --yuqing {args.yuqing}")
        print("| stream | posts | distinct bigrams | mid-frequency share | events | largest three | merges |")
        print("|---|---:|---:|---:|---:|---|---:|")
        for name, path, texts in (("demo background (seed 7)", bg, [r.get("title", "") + r["text"] for r in recs]),
                                  ("weibo_senti_100k, same times", weibo, real)):
            distinct, mid = diversity(texts)
            events, top, merges = cluster(args.yuqing, path)
            print(f"| {name} | {len(texts)} | {distinct} | {mid:.2f} | {events} | "
                  f"{', '.join(map(str, top))} | {merges} |")


if __name__ == "__main__":
    main()
