import { describe, it, expect } from 'vitest';
import { queryTerms, splitAtColumn, errorColumn } from './query.js';

describe('query terms for highlighting', () => {
  it('takes words and phrases, not operators or negated terms', () => {
    expect(queryTerms('(长治 OR 潞城) AND (苯胺 OR 泄漏) -演习')).toEqual(['长治', '潞城', '苯胺', '泄漏']);
    expect(queryTerms('"苯胺泄漏" NOT 演习 化工')).toEqual(['苯胺泄漏', '化工']);
    expect(queryTerms('化工 AND NOT (演习 OR 演练) 泄漏')).toEqual(['化工', '泄漏']);
  });
  it('drops field prefixes, regions and keyword lists', () => {
    expect(queryTerms('title:通报 channel:news region:1404 @places 化工')).toEqual(['通报', 'news', '化工']);
    expect(queryTerms('author:(人民日报 OR 新华社)')).toEqual(['人民日报', '新华社']);
    expect(queryTerms('NEAR/5(长治, 泄漏)')).toEqual(['长治', '泄漏']);
  });
  it('reads full-width input-method punctuation', () => {
    expect(queryTerms('（长治 OR 潞城）“苯胺”')).toEqual(['长治', '潞城', '苯胺']);
  });
});

describe('the error column', () => {
  it('splits the query at a 1-based code-point column', () => {
    expect(splitAtColumn('(长治 OR 潞城', 10)).toEqual({ before: '(长治 OR 潞城', at: '', after: '' });
    expect(splitAtColumn('长治 AND 水', 8)).toEqual({ before: '长治 AND ', at: '水', after: '' });
    expect(splitAtColumn('😀 OR', 3)).toEqual({ before: '😀 ', at: 'O', after: 'R' });
  });
  it('reads the column from details or from the message', () => {
    expect(errorColumn({ details: { column: 7 }, message: '' })).toBe(7);
    expect(errorColumn({ details: null, message: 'column 12: the term "我们" is one of the most common words' })).toBe(12);
    expect(errorColumn({ details: { column: 0 }, message: 'the rule has 2500 terms' })).toBe(0);
  });
});
