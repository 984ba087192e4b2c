#!/usr/bin/env python3
"""Accuracy of the yuqing segmenter (issue 4).

(a) Agreement with Python jieba 0.42 (`jieba.lcut(text)`, default mode) on the texts of the
    sentiment corpora under ../shared/data: share of texts segmented identically.
(b) SIGHAN 2005 bakeoff, PKU and MSR test sets: word precision / recall / F1 (and OOV recall
    against the training word lists) of ours and of Python jieba on the same input, scored
    against the gold files by the same span-matching rule as the official `score` script
    (a word counts when its start and end offsets both match a gold word).

Our segmenter runs as a subprocess: the driver `text_segment_tool` (default
build/text/src/text/text_segment_tool) or `yuqing segment` (--tool "build/release/yuqing segment").

Usage: /usr/bin/python3 eval/segment_eval.py [--tool CMD] [--limit N] [--diffs K]
Needs python3-jieba (Debian) importable by the interpreter running this script.
"""
import argparse
import csv
import io
import logging
import os
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("YQ_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
SEP = "\x1f"

# (name, file, how to get the text out of one line)
CORPORA = [
    ("weibo_senti_100k", "weibo_senti_100k/data.tsv", "tsv"),
    ("weibo2018", "weibo2018/train.txt", "csv3"),
    ("ChnSentiCorp_htl_all", "ChnSentiCorp_htl_all/data.tsv", "tsv"),
    ("ChnSentiCorp_12k", "ChnSentiCorp_12k/train.tsv", "tsv"),
    ("waimai_10k", "waimai_10k/data.tsv", "tsv"),
    ("online_shopping_10_cats", "online_shopping_10_cats/data.tsv", "tsv"),
]


def read_texts(rel, kind, limit):
    texts = []
    with open(os.path.join(DATA, rel), encoding="utf-8", newline="") as f:
        for line in f.read().split("\n"):
            if not line:
                continue
            if kind == "tsv":
                parts = line.split("\t", 1)
            else:  # id,label,text
                parts = line.split(",", 2)[1:]
            if len(parts) < 2:
                continue
            text = parts[-1]
            if SEP in text or "\n" in text or not text:
                continue
            texts.append(text)
            if limit and len(texts) >= limit:
                break
    return texts


def run_ours(tool, lines, extra=()):
    cmd = shlex.split(tool) + ["--sep", SEP] + list(extra)
    data = "".join(l + "\n" for l in lines).encode("utf-8")
    out = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout
    rows = out.decode("utf-8", errors="surrogateescape").split("\n")
    assert rows[-1] == "", "output must end with a newline"
    rows = rows[:-1]
    assert len(rows) == len(lines), f"{len(rows)} output lines for {len(lines)} inputs"
    return [r.split(SEP) if r else [] for r in rows]


def agreement(tool, limit, ndiffs):
    import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    print("## (a) Agreement with Python jieba %s, jieba.lcut(text), default mode (HMM on)\n"
          % jieba.__version__)
    print("| corpus | texts | identical | % |")
    print("|---|---:|---:|---:|")
    tot_n = tot_same = 0
    diffs = []
    for name, rel, kind in CORPORA:
        texts = read_texts(rel, kind, limit)
        ours = run_ours(tool, texts)
        same = 0
        for t, o in zip(texts, ours):
            j = jieba.lcut(t)
            if j == o:
                same += 1
            elif len(diffs) < ndiffs:
                diffs.append((name, "/".join(j), "/".join(o)))
        tot_n += len(texts)
        tot_same += same
        print(f"| {name} | {len(texts)} | {same} | {100.0 * same / max(1, len(texts)):.3f} |")
    print(f"| **all** | {tot_n} | {tot_same} | **{100.0 * tot_same / max(1, tot_n):.3f}** |\n")
    for name, j, o in diffs:
        print(f"diff [{name}]\n  jieba: {j}\n  ours:  {o}")
    return tot_same / max(1, tot_n)


def spans(words):
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def score(gold_lines, test_lines, train_words):
    g_total = t_total = match = oov_total = oov_match = 0
    for g, t in zip(gold_lines, test_lines):
        gs, ts = spans(g), spans(t)
        g_total += len(gs)
        t_total += len(ts)
        match += len(gs & ts)
        pos = 0
        for w in g:
            if w not in train_words:
                oov_total += 1
                if (pos, pos + len(w)) in ts:
                    oov_match += 1
            pos += len(w)
    p = match / t_total
    r = match / g_total
    return p, r, 2 * p * r / (p + r), (oov_match / oov_total if oov_total else 0.0)


def sighan(tool):
    import jieba
    print("## (b) SIGHAN 2005 bakeoff (icwb2), word-level P / R / F1 against the gold files\n")
    print("| test set | segmenter | P | R | F1 | OOV recall |")
    print("|---|---|---:|---:|---:|---:|")
    base = os.path.join(DATA, "sighan2005_icwb2")
    result = {}
    for corpus in ("pku", "msr"):
        with open(os.path.join(base, "testing", f"{corpus}_test.utf8"), encoding="utf-8-sig",
                  newline="") as f:
            raw = [l.rstrip("\r") for l in f.read().split("\n")]
        if raw and raw[-1] == "":
            raw.pop()
        with open(os.path.join(base, "gold", f"{corpus}_test_gold.utf8"), encoding="utf-8-sig",
                  newline="") as f:
            gold = [l.split() for l in f.read().replace("\r", "").split("\n")]
        gold = gold[:len(raw)]
        with open(os.path.join(base, "gold", f"{corpus}_training_words.utf8"),
                  encoding="utf-8-sig") as f:
            train = set(w.strip() for w in f if w.strip())
        keep = lambda ws: [w for w in ws if w.strip()]
        ours = [keep(ws) for ws in run_ours(tool, raw)]
        theirs = [keep(jieba.lcut(l)) for l in raw]
        for label, seg in (("Python jieba 0.42", theirs), ("yuqing", ours)):
            p, r, f1, oov = score(gold, seg, train)
            result[(corpus, label)] = f1
            print(f"| {corpus.upper()} | {label} | {p:.4f} | {r:.4f} | {f1:.4f} | {oov:.4f} |")
    print()
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", default=os.path.join(ROOT, "build/text/src/text/text_segment_tool"))
    ap.add_argument("--limit", type=int, default=0, help="texts per corpus (0 = all)")
    ap.add_argument("--diffs", type=int, default=10, help="differences to print")
    ap.add_argument("--skip-agreement", action="store_true")
    ap.add_argument("--skip-sighan", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    print(f"command: {' '.join(shlex.quote(a) for a in sys.argv)}\n")
    if not args.skip_agreement:
        agreement(args.tool, args.limit, args.diffs)
    if not args.skip_sighan:
        sighan(args.tool)
    print(f"({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
