#!/usr/bin/python3
"""Quality table of yuqing's judgment signals (docs/analysis.md), on held-out data only.

    /usr/bin/python3 eval/analysis_eval.py [--yuqing build/an/yuqing] [--only sentiment]
                                           [--split dev] [--no-lexicon]

--split dev measures on the dev split (for choosing models and settings); the recorded figures
are on test, which no setting is chosen on.

Splits come from scripts/train_models_data.py (the same code the trainer uses). Every figure is
computed from `yuqing analyze` output, i.e. the product path. The lexicon-only baseline counts
HowNet + NTUSD polar words (../shared/data/sentiment_lexicons, research lexicons, used here for
evaluation only) in jieba's segmentation, flipping a word after a negator.
"""

import argparse
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import train_models_data as data  # noqa: E402


def analyze(tool, texts, extra=()):
    inp = "".join(t.replace("\n", " ").replace("\r", " ") + "\n" for t in texts)
    out = subprocess.run([tool, "analyze", *extra], input=inp.encode("utf-8"),
                         capture_output=True, check=True).stdout.decode("utf-8")
    rows = [json.loads(l) for l in out.splitlines()]
    assert len(rows) == len(texts), (len(rows), len(texts))
    return rows


def macro_f1(gold, pred, labels=None):
    labels = labels or sorted(set(gold))
    f1s = []
    for l in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == l and p == l)
        fp = sum(1 for g, p in zip(gold, pred) if g != l and p == l)
        fn = sum(1 for g, p in zip(gold, pred) if g == l and p != l)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s)


def accuracy(gold, pred):
    return sum(1 for g, p in zip(gold, pred) if g == p) / len(gold)


def auc(labels, scores):
    """Mann-Whitney U / (n_pos * n_neg), ties counted half."""
    pairs = sorted(zip(scores, labels))
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + j + 1) / 2.0
        rank_sum += avg_rank * sum(1 for k in range(i, j) if pairs[k][1] == 1)
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


class Lexicon:
    def __init__(self):
        import jieba  # Debian python3-jieba
        jieba.setLogLevel(60)
        self.jieba = jieba
        lex = os.path.join(data.SHARED, "sentiment_lexicons")

        def words(*paths):
            s = set()
            for p in paths:
                with open(os.path.join(lex, p), encoding="utf-8") as f:
                    s.update(w.strip() for w in f if w.strip())
            return s
        self.pos = words("hownet/positive_emotion.txt", "hownet/positive_evaluation.txt",
                         "ntusd/positive.txt")
        self.neg = words("hownet/negative_emotion.txt", "hownet/negative_evaluation.txt",
                         "ntusd/negative.txt")
        self.negators = words("misc/negation_words.txt")

    def predict(self, text):
        score = 0
        prev = ""
        for w in self.jieba.lcut(text):
            s = (w in self.pos) - (w in self.neg)
            if prev in self.negators:
                s = -s
            score += s
            prev = w
        return "positive" if score > 0 else "negative" if score < 0 else "positive"


def sentiment(tool, out, split_name="test", lexicon=True):
    by_corpus, seen = {}, set()
    for corpus, split, label, text in data.sentiment_records():
        if split == split_name and (corpus, data.key(text)) not in seen:  # each text once per corpus
            seen.add((corpus, data.key(text)))
            by_corpus.setdefault(corpus, []).append((label, text))
    lex = Lexicon() if lexicon else None
    out.append(f"| corpus | {split_name} texts | yuqing acc | yuqing macro-F1 | lexicon acc | lexicon macro-F1 |")
    out.append("|---|---:|---:|---:|---:|---:|")
    variants = []
    for corpus in data.SENTIMENT_CORPORA:
        rows = by_corpus.get(corpus, [])
        variants.append((corpus, rows, ()))
        if corpus == "weibo_senti_100k":
            stripped = [(l, data.EMOTICON.sub("", t)) for l, t in rows]
            variants.append((corpus + " (emoticons stripped)", stripped, ()))
    for name, rows, extra in variants:
        gold = [l for l, _ in rows]
        res = analyze(tool, [t for _, t in rows], extra)
        pred = ["positive" if r["sentiment"]["score"] > 0 else "negative" for r in res]
        lpred = [lex.predict(t) for _, t in rows] if lex else gold
        out.append(f"| {name} | {len(rows)} | {accuracy(gold, pred):.4f} | "
                   f"{macro_f1(gold, pred):.4f} | {accuracy(gold, lpred):.4f} | "
                   f"{macro_f1(gold, lpred):.4f} |")
    # Neutral: held-out news titles, and the label distribution the product reports.
    titles = [t for s, c, t in data.toutiao_records() if s == split_name]
    res = analyze(tool, titles)
    labels = [r["sentiment"]["label"] for r in res]
    dist = {k: labels.count(k) / len(labels) for k in ("negative", "neutral", "positive")}
    out.append("")
    out.append(f"Three-way labels on {len(titles)} {split_name} toutiao news titles (mostly neutral "
               "news): " + ", ".join(f"{k} {v:.3f}" for k, v in dist.items()))
    for corpus in ("weibo_senti_100k", "waimai_10k"):
        rows = by_corpus[corpus]
        res = analyze(tool, [t for _, t in rows])
        n = sum(1 for r in res if r["sentiment"]["label"] == "neutral")
        out.append(f"Share labelled neutral on {corpus} {split_name} (all truly polar): {n / len(rows):.3f}")


def domain(tool, out):
    out.append("| corpus (held-out) | texts | accuracy | macro-F1 (over domains present) |")
    out.append("|---|---:|---:|---:|")
    by = {}
    for corpus, split, dom, text in data.domain_records():
        if split == "test":
            by.setdefault(corpus, []).append((dom, text))
    for corpus, rows in by.items():
        gold = [d for d, _ in rows]
        res = analyze(tool, [t for _, t in rows])
        pred = [r["domain"]["label"] for r in res]
        out.append(f"| {corpus} | {len(rows)} | {accuracy(gold, pred):.4f} | "
                   f"{macro_f1(gold, pred):.4f} |")


def rumour(tool, out):
    out.append("| corpus (held-out) | posts | AUC yuqing score | AUC cue count only |")
    out.append("|---|---:|---:|---:|")
    by, flagged = {}, {}
    for corpus, split, label, text in data.rumour_records():
        if split == "test":
            by.setdefault(corpus, []).append((1 if label == "rumour" else 0, text))
    for corpus, rows in by.items():
        y = [l for l, _ in rows]
        res = analyze(tool, [t for _, t in rows])
        scores = [r["rumour"]["score"] for r in res]

        def cues(r):
            ev = [e["text"] for e in r["rumour"]["evidence"]]
            n = sum(1 for e in ev if e.split(":")[0] in ("hedge", "spread_call", "sensational"))
            n += 1 if "no_named_source" in ev else 0
            return n - (2 if r["rumour"]["denial"] else 0)
        out.append(f"| {corpus} | {len(rows)} | {auc(y, scores):.4f} | "
                   f"{auc(y, [cues(r) for r in res]):.4f} |")
        flagged[corpus] = (sum(1 for l, x in zip(y, scores) if l and x >= 0.5) / max(1, sum(y)),
                           sum(1 for l, x in zip(y, scores) if not l and x >= 0.5)
                           / max(1, len(y) - sum(y)))
    # The decision the event summary uses (score >= 0.5: "looks like an unverified claim"), on
    # the held-out rumour sets and on everyday posts no model was trained on (every n-th post).
    out.append("")
    out.append("| posts (held-out) | posts | scored >= 0.5 |")
    out.append("|---|---:|---:|")
    for corpus, (rec, fpr) in flagged.items():
        out.append(f"| {corpus}: rumours / fake | | {rec:.3f} |")
        out.append(f"| {corpus}: other | | {fpr:.3f} |")
    everyday = {"weibo2018": [t for _, t in data._weibo2018()]}
    for corpus in ("waimai_10k", "ChnSentiCorp_htl_all", "online_shopping_10_cats"):
        path = os.path.join(data.SHARED, corpus, "data.tsv")
        everyday[corpus] = [t for _, t in data._tsv(path)][1:]
    for corpus, texts in everyday.items():
        step = max(1, len(texts) // 2000)
        texts = texts[::step][:2000]
        res = analyze(tool, texts)
        share = sum(1 for r in res if r["rumour"]["score"] >= 0.5) / len(res)
        out.append(f"| {corpus} (everyday) | {len(res)} | {share:.3f} |")


def places(tool, out):
    path = os.path.join(ROOT, "eval", "places_labels.tsv")
    gold, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            texts.append(parts[1])
            gold.append(set(c for c in parts[2].split(",") if c) if len(parts) > 2 else set())
    res = analyze(tool, texts)
    tp = fp = fn = 0
    for g, r in zip(gold, res):
        p = {pl["code"] for pl in r["places"]}
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    prec = tp / (tp + fp) if tp + fp else 0
    rec = tp / (tp + fn) if tp + fn else 0
    out.append(f"Places, {len(texts)} hand-labelled sentences ({tp + fn} gold places): "
               f"precision {prec:.4f}, recall {rec:.4f}, F1 "
               f"{2 * prec * rec / (prec + rec) if prec + rec else 0:.4f} "
               "(a place counts when its code is right; one per distinct code per sentence)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yuqing", default=os.path.join(ROOT, "build", "an", "yuqing"))
    ap.add_argument("--only", default="")
    ap.add_argument("--split", default="test", choices=("dev", "test"),
                    help="sentiment only: dev for choosing settings, test for the record")
    ap.add_argument("--no-lexicon", action="store_true", help="skip the lexicon baseline")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(","))) or {"sentiment", "domain", "places", "rumour"}
    out = []
    def sent(tool, out):
        sentiment(tool, out, args.split, not args.no_lexicon)

    for name, fn in (("sentiment", sent), ("domain", domain), ("places", places),
                     ("rumour", rumour)):
        if name in only:
            out.append(f"\n### {name}\n")
            fn(args.yuqing, out)
            print("\n".join(out), flush=True)
            out.clear()


if __name__ == "__main__":
    main()
