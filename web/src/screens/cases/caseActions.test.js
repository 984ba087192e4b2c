import { describe, it, expect } from 'vitest';
import { offeredActions, initialValues, buildBody, missingFields, ACTION_PERMISSION, ACTION_FIELDS, ACTION_ORDER } from './caseActions.js';
import zh from '../../locales/zh-CN.json';

const kase = {
  id: 1,
  grade: 'II',
  version: 4,
  allowed_actions: ['regrade', 'draft_response', 'approve_response', 'reject_response', 'add_task', 'open_supervision', 'close'],
  suggested_departments: ['lucheng.env', 'cz.env'],
  responses: [{ id: 1, status: 'published' }, { id: 2, status: 'draft' }],
  tasks: [{ id: 1, done_at: '2026-11-20T00:00:00+08:00' }, { id: 2, done_at: null }],
  policy: { name: 'default', press_within_hours: 24 },
};
const roles = {
  responder: ['read_cases', 'handle_cases'],
  leader: ['read_cases', 'approve_responses', 'supervise'],
  coordinator: ['read_cases', 'open_cases', 'judge_cases', 'assign_cases', 'handle_cases', 'supervise', 'judge_rumours', 'approve_rumours'],
};
const can = (role) => (p) => roles[role].includes(p);

describe('case actions', () => {
  it('offers only what is allowed now and held by the role', () => {
    expect(offeredActions(kase, can('responder'))).toEqual(['draft_response', 'add_task']);
    expect(offeredActions(kase, can('leader'))).toEqual(['approve_response', 'reject_response', 'open_supervision']);
    expect(offeredActions(kase, can('coordinator'))).toEqual(['draft_response', 'add_task', 'close', 'regrade', 'open_supervision']);
  });
  it('knows a permission, fields, an order and a word for every action', () => {
    for (const a of ACTION_ORDER) {
      expect(ACTION_PERMISSION[a], a).toBeTruthy();
      expect(ACTION_FIELDS[a], a).toBeTruthy();
      expect(zh.caseAction[a], a).toBeTruthy();
      expect(zh.caseActionHelp[a], a).toBeTruthy();
      for (const f of ACTION_FIELDS[a]) expect(zh.field[f.name], `${a}.${f.name}`).toBeTruthy();
    }
  });
  it('pre-fills from the case', () => {
    expect(initialValues('approve_response', kase).response).toBe(2);
    expect(initialValues('complete_task', kase).task).toBe(2);
    expect(initialValues('assign', kase).department).toBe('lucheng.env');
    expect(initialValues('regrade', kase).grade).toBe('II');
    expect(JSON.parse(initialValues('set_policy', kase).policy).press_within_hours).toBe(24);
  });
  it('builds the body the server wants', () => {
    expect(buildBody('approve_response', { response: '2', note: '', round: '' })).toEqual({ response: 2 });
    expect(buildBody('close', { resolved: true, note: '' })).toEqual({ resolved: true });
    expect(buildBody('add_task', { title: '监测', owner: '张三', owner_department: '', due: '2026-11-25T18:00' })).toEqual({ title: '监测', owner: '张三', due: '2026-11-25T18:00:00+08:00' });
    expect(buildBody('judge_rumour', { claim: 'c', evidence: 'weibo/1\nweibo/2', hand_to: 'cyberspace', judgment: 'j' }).evidence).toEqual(['weibo/1', 'weibo/2']);
    expect(buildBody('assign', { department: 'lucheng.env', assist: ['cz.env'], reason: '' })).toEqual({ department: 'lucheng.env', assist: ['cz.env'] });
  });
  it('names the missing required fields', () => {
    expect(missingFields('reject_response', { response: 2, note: '' })).toEqual(['note']);
    expect(missingFields('accept', {})).toEqual([]);
  });
});
