#!/usr/bin/env python3
"""Python jieba 0.42 (Debian python3-jieba) on the segmentation corpus, single thread, for
comparison with text_segment_bench. Usage: /usr/bin/python3 bench/segment_bench_jieba.py CORPUS"""
import logging
import os
import sys
import tempfile
import time

import jieba

corpus = sys.argv[1]
print(f"command: {sys.executable} {' '.join(sys.argv)}")
with open(corpus, encoding="utf-8", newline="") as f:
    data = f.read()
lines = data.split("\n")
if lines and lines[-1] == "":
    lines.pop()
mb = len(data.encode("utf-8")) / 1e6
jieba.setLogLevel(logging.WARNING)
cache = os.path.join(tempfile.mkdtemp(), "jieba.cache")
t = jieba.Tokenizer()
t.cache_file = cache
t0 = time.perf_counter()
t.initialize()
print(f"load, no cache: {1000 * (time.perf_counter() - t0):.1f} ms")
t2 = jieba.Tokenizer()
t2.cache_file = cache
t0 = time.perf_counter()
t2.initialize()
print(f"load, from cache: {1000 * (time.perf_counter() - t0):.1f} ms")
for name, f in (("default (HMM)", lambda s: t.lcut(s)), ("no HMM", lambda s: t.lcut(s, HMM=False)),
                ("search (HMM)", lambda s: t.lcut_for_search(s))):
    t0 = time.perf_counter()
    words = 0
    for line in lines:
        words += len(f(line))
    s = time.perf_counter() - t0
    print(f"segment {name:14} {mb / s:8.2f} MB/s  ({s:.2f} s, {words} words)")
