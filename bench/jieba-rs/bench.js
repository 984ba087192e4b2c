// jieba-rs (through @node-rs/jieba) on the segmentation corpus, single thread, for comparison
// with text_segment_bench. Loads the same dict.txt as ours (Debian python3-jieba).
// Usage: node bench/jieba-rs/bench.js CORPUS [DICT]   (after `npm install` in bench/jieba-rs)
const fs = require('fs');
const { Jieba } = require('@node-rs/jieba');

const corpus = process.argv[2];
const dictPath = process.argv[3] || '/usr/lib/python3/dist-packages/jieba/dict.txt';
console.log(`command: node ${process.argv.slice(1).join(' ')}`);
const text = fs.readFileSync(corpus);
const lines = text.toString('utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const bufs = lines.map((l) => Buffer.from(l, 'utf8'));
const mb = text.length / 1e6;
let t = process.hrtime.bigint();
const dict = fs.readFileSync(dictPath);
const jieba = Jieba.withDict(dict);
const loadMs = Number(process.hrtime.bigint() - t) / 1e6;
console.log(`load: ${loadMs.toFixed(1)} ms`);
const rss0 = process.memoryUsage().rss;

function run(name, f, repeats) {
  let best = Infinity;
  let words = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    words = 0;
    for (const b of bufs) words += f(b).length;
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(`segment ${name.padEnd(14)} ${(mb / best).toFixed(2).padStart(8)} MB/s  (${best.toFixed(2)} s, ${words} words)`);
}
const repeats = Number(process.argv[4] || 2);
run('default (HMM)', (b) => jieba.cut(b, true), repeats);
run('no HMM', (b) => jieba.cut(b, false), repeats);
run('search (HMM)', (b) => jieba.cutForSearch(b, true), repeats);
console.log(`rss after load: ${(rss0 / 1e6).toFixed(0)} MB (node process)`);
