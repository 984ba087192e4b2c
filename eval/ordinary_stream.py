#!/usr/bin/env python3
"""A stream of ordinary posts for the grade calibration (eval/grade_calibration.sh).

Each record is one real post or review as its author wrote it (weibo_senti_100k, weibo2018,
waimai_10k, ChnSentiCorp_htl_all, online_shopping_10_cats under ../shared/data), not a collage of
sentences from several corpora, and no corpus of rumours or fake news is drawn from: this is the
talk of a province on ordinary days, with whatever incidents its people happen to mention.

Authors are consistent, as on a real platform: each of 20,000 authors has one home county of one
province (Shanxi, GB/T 2260 codes 14xxxx), one kind (individual, KOL, media, government), a
follower count and one or two channels; reviews are posted on forum and Q&A channels, Weibo posts
on Weibo, WeChat and video. Times advance about 2.6 s per post (100,000 posts ≈ 3 days) with a
day/night rhythm in Asia/Shanghai time. The same seed gives the same file.

    python3 eval/ordinary_stream.py --posts 100000 --seed 42 --data ../shared/data > stream.ndjson
"""
import argparse
import datetime as dt
import json
import math
import random
import sys

TZ = dt.timezone(dt.timedelta(hours=8))
# Share of a day's posts per hour (Asia/Shanghai).
HOURS = [0.5, 0.2, 0.1, 0.05, 0.05, 0.1, 0.4, 0.9, 1.3, 1.3, 1.2, 1.3, 1.4, 1.3, 1.2, 1.2, 1.2,
         1.3, 1.4, 1.6, 1.8, 1.8, 1.5, 1.0]


def last_column(path):
    """The last tab-separated cell of each line (the text of a label<TAB>text file)."""
    out = []
    with open(path, encoding="utf-8", errors="strict") as f:
        for line in f:
            text = line.rstrip("\n").split("\t")[-1].strip()
            if len(text) >= 4:
                out.append(text)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data", default="../shared/data")
    args = ap.parse_args()
    d = args.data
    weibo = last_column(f"{d}/weibo_senti_100k/data.tsv")
    weibo += [line.split(",", 2)[2].strip() for line in open(f"{d}/weibo2018/train.txt", encoding="utf-8")
              if line.count(",") >= 2]
    reviews = last_column(f"{d}/waimai_10k/data.tsv")
    reviews += last_column(f"{d}/ChnSentiCorp_htl_all/data.tsv")
    reviews += last_column(f"{d}/online_shopping_10_cats/data.tsv")
    r = random.Random(args.seed)
    counties = []
    with open(f"{d}/china_admin_divisions/divisions_pca.tsv", encoding="utf-8") as f:
        for i, line in enumerate(f):
            cells = line.rstrip("\n").split("\t")
            if i and cells[0].startswith("14") and cells[1] == "county":
                counties.append(cells[0])
    if not counties:
        sys.exit("ordinary_stream.py: no Shanxi counties in divisions_pca.tsv")
    kinds = ["individual"] * 90 + ["kol"] * 6 + ["media"] * 2 + ["gov"] * 2
    authors = []
    for n in range(20000):
        kind = r.choice(kinds)
        reviewer = r.random() < 0.3 and kind == "individual"
        chans = r.choice([["forum"], ["qa"], ["forum", "qa"]]) if reviewer else \
            ["weibo"] + r.choice([[], [], ["wechat"], ["video"]])
        followers = int(r.lognormvariate(5.0, 1.4) * (30 if kind != "individual" else 1))
        authors.append({"id": f"a{n}", "name": f"用户{n}", "kind": kind, "followers": followers,
                        "verified": kind != "individual", "region": r.choice(counties),
                        "channels": chans, "reviewer": reviewer})
    wi, ri = r.sample(range(len(weibo)), len(weibo)), r.sample(range(len(reviews)), len(reviews))
    t = dt.datetime(2026, 10, 1, tzinfo=TZ).timestamp()
    out = sys.stdout
    for n in range(args.posts):
        a = r.choice(authors)
        if a["reviewer"]:
            text = reviews[ri[n % len(ri)]]
        else:
            text = weibo[wi[n % len(wi)]]
        # Mean gap 2.6 s scaled by the hour's share (mean share 1).
        hour = dt.datetime.fromtimestamp(t, TZ).hour
        t += r.expovariate(1.0) * 2.6 / max(HOURS[hour], 0.05) * (sum(HOURS) / 24)
        ch = r.choice(a["channels"])
        rec = {"source": "ordinary_" + ch, "id": f"o{n}", "channel": ch, "text": text,
               "published_at": dt.datetime.fromtimestamp(math.floor(t), TZ).isoformat(),
               "region": a["region"],
               "author": {k: a[k] for k in ("id", "name", "kind", "followers", "verified")},
               "metrics": {"reposts": int(r.expovariate(1.0) * 2), "comments": int(r.expovariate(1.0) * 3),
                           "likes": int(r.expovariate(1.0) * 10)}}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
