// The case actions (docs/cases.md, "Actions"; docs/api.md, "Action fields"): the permission each
// route needs, and the fields of its form. The server's allowed_actions says which are allowed
// in the case's state; the permission hides those the user's role may never take; the workflow's
// own rules (the main department's responder, a leader other than the author …) are checked by
// the server and its refusal is shown.
export const ACTION_PERMISSION = {
  judge: 'judge_cases', regrade: 'judge_cases', set_policy: 'judge_cases', new_round: 'judge_cases', evaluate: 'judge_cases',
  assign: 'assign_cases', reassign: 'assign_cases', decide_dispute: 'assign_cases', add_assist: 'assign_cases', merge: 'assign_cases',
  extend: 'assign_cases', close: 'assign_cases', reopen: 'assign_cases', finalise_evaluation: 'assign_cases',
  accept: 'handle_cases', return: 'handle_cases', dispute: 'handle_cases', hand_up: 'handle_cases', draft_response: 'handle_cases',
  follow_up: 'handle_cases', add_task: 'handle_cases', complete_task: 'handle_cases', reply_petitioner: 'handle_cases',
  approve_response: 'approve_responses', reject_response: 'approve_responses',
  open_supervision: 'supervise', close_supervision: 'supervise', add_notice: 'supervise', decide_notice: 'supervise', record_visit: 'supervise',
  judge_rumour: 'judge_rumours', approve_rumour: 'approve_rumours', reverse_rumour: 'approve_rumours',
};

// The order buttons are shown in: the normal flow first.
export const ACTION_ORDER = [
  'judge', 'assign', 'accept', 'draft_response', 'approve_response', 'reject_response', 'follow_up', 'new_round',
  'add_task', 'complete_task', 'reply_petitioner', 'record_visit', 'evaluate', 'close', 'finalise_evaluation',
  'regrade', 'reassign', 'add_assist', 'return', 'dispute', 'decide_dispute', 'hand_up', 'extend', 'set_policy',
  'open_supervision', 'close_supervision', 'add_notice', 'decide_notice', 'judge_rumour', 'approve_rumour', 'reverse_rumour',
  'merge', 'reopen',
];

const OBLIGATIONS = ['press', 'respond', 'first_release', 'reply', 'resolve', 'accept'];

// type: text | textarea | grade | bool | number | datetime | department | departments | select |
// response | task | supervision | notice | rumour | list | json
export const ACTION_FIELDS = {
  judge: [{ name: 'grade', type: 'grade' }, { name: 'nature', type: 'text' }, { name: 'reason', type: 'textarea' }],
  regrade: [{ name: 'grade', type: 'grade', required: true }, { name: 'reason', type: 'textarea', required: true }, { name: 'nature', type: 'text' }],
  set_policy: [{ name: 'policy', type: 'json', required: true }, { name: 'reason', type: 'textarea', required: true }],
  new_round: [{ name: 'reason', type: 'textarea', required: true }],
  evaluate: [{ name: 'summary', type: 'textarea' }, { name: 'reflections', type: 'textarea', required: true }, { name: 'suggestions', type: 'textarea' }],
  assign: [{ name: 'department', type: 'department' }, { name: 'assist', type: 'departments' }, { name: 'reason', type: 'textarea' }],
  reassign: [{ name: 'department', type: 'department', required: true }, { name: 'reason', type: 'textarea', required: true }, { name: 'assist', type: 'departments' }],
  decide_dispute: [{ name: 'upheld', type: 'bool', required: true }, { name: 'decision', type: 'textarea', required: true }, { name: 'department', type: 'department' }],
  add_assist: [{ name: 'department', type: 'department', required: true }, { name: 'reason', type: 'textarea' }],
  merge: [{ name: 'into', type: 'number', required: true }, { name: 'reason', type: 'textarea' }],
  extend: [{ name: 'days', type: 'number', required: true, min: 1, max: 90 }, { name: 'reason', type: 'textarea', required: true }],
  close: [{ name: 'resolved', type: 'bool', required: true, default: true }, { name: 'note', type: 'textarea' }],
  reopen: [{ name: 'reason', type: 'textarea', required: true }],
  finalise_evaluation: [],
  accept: [{ name: 'department', type: 'department', officeOnly: true }],
  return: [{ name: 'reason', type: 'textarea', required: true }],
  dispute: [{ name: 'reason', type: 'textarea', required: true }, { name: 'suggested_department', type: 'department' }],
  hand_up: [{ name: 'reason', type: 'textarea', required: true }, { name: 'to_region', type: 'text', pattern: '\\d{6}' }],
  draft_response: [
    { name: 'channel', type: 'select', options: ['press_conference', 'briefing', 'release', 'weibo', 'wechat', 'website', 'interview', 'expert'], optionKey: 'responseChannel', required: true },
    { name: 'speaker', type: 'text' },
    { name: 'text', type: 'textarea', required: true, rows: 8 },
    { name: 'attachments', type: 'list' },
    { name: 'department', type: 'department', officeOnly: true },
  ],
  follow_up: [{ name: 'note', type: 'textarea' }],
  add_task: [{ name: 'title', type: 'text', required: true }, { name: 'owner', type: 'text', required: true }, { name: 'owner_department', type: 'department' }, { name: 'due', type: 'datetime' }],
  complete_task: [{ name: 'task', type: 'task', required: true }, { name: 'result', type: 'textarea', required: true }],
  reply_petitioner: [{ name: 'reply', type: 'textarea', required: true }],
  approve_response: [{ name: 'response', type: 'response', required: true, status: 'draft' }, { name: 'note', type: 'textarea' }, { name: 'round', type: 'number' }],
  reject_response: [{ name: 'response', type: 'response', required: true, status: 'draft' }, { name: 'note', type: 'textarea', required: true }],
  open_supervision: [
    { name: 'reason', type: 'textarea', required: true },
    { name: 'obligation', type: 'select', options: OBLIGATIONS, optionKey: 'obligation' },
    { name: 'department', type: 'department' },
    { name: 'owner', type: 'text' },
    { name: 'due', type: 'datetime' },
  ],
  close_supervision: [{ name: 'supervision', type: 'supervision', required: true }, { name: 'outcome', type: 'textarea', required: true }],
  add_notice: [
    { name: 'kind', type: 'select', options: ['criticism', 'interview', 'commendation'], optionKey: 'noticeKind', required: true },
    { name: 'department', type: 'department', required: true },
    { name: 'text', type: 'textarea', required: true },
  ],
  decide_notice: [{ name: 'notice', type: 'notice', required: true }, { name: 'issue', type: 'bool', required: true, default: true }, { name: 'text', type: 'textarea' }],
  record_visit: [{ name: 'satisfaction', type: 'select', options: ['satisfied', 'basically', 'unsatisfied'], optionKey: 'satisfaction', required: true }],
  judge_rumour: [
    { name: 'claim', type: 'textarea', required: true },
    { name: 'evidence', type: 'list', required: true },
    { name: 'hand_to', type: 'select', options: ['public_security', 'cyberspace'], optionKey: 'handTo', required: true },
    { name: 'judgment', type: 'textarea', required: true },
  ],
  approve_rumour: [{ name: 'rumour', type: 'rumour', required: true, status: 'pending' }, { name: 'approve', type: 'bool', default: true }, { name: 'note', type: 'textarea' }],
  reverse_rumour: [{ name: 'rumour', type: 'rumour', required: true }, { name: 'reason', type: 'textarea', required: true }],
};

// Actions that act on one item of the case: offered only when there is such an item.
const NEEDS = {
  approve_response: (c) => (c.responses || []).some((r) => r.status === 'draft'),
  reject_response: (c) => (c.responses || []).some((r) => r.status === 'draft'),
  complete_task: (c) => (c.tasks || []).some((t) => !t.done_at),
  close_supervision: (c) => (c.supervision || []).some((s) => !s.closed_at),
  decide_notice: (c) => (c.notices || []).some((n) => n.status === 'proposed'),
  approve_rumour: (c) => (c.rumours || []).some((r) => r.status === 'pending'),
  reverse_rumour: (c) => (c.rumours || []).some((r) => r.status === 'pending' || r.status === 'handed_over'),
  reply_petitioner: (c) => !!c.petitioner,
  record_visit: (c) => !!c.petitioner,
};

// The actions a user may be offered on a case: allowed now, held by the user's role, and with
// something to act on.
export function offeredActions(c, can) {
  const allowed = new Set(c?.allowed_actions || []);
  return ACTION_ORDER.filter((a) => allowed.has(a) && ACTION_PERMISSION[a] && can(ACTION_PERMISSION[a]) && (!NEEDS[a] || NEEDS[a](c)));
}

// Initial values of an action's form, from the case.
export function initialValues(action, c) {
  const v = {};
  for (const f of ACTION_FIELDS[action] || []) {
    if (f.default !== undefined) v[f.name] = f.default;
    else if (f.type === 'bool') v[f.name] = false;
    else if (f.type === 'departments' || f.type === 'list') v[f.name] = [];
    else v[f.name] = '';
  }
  if ((action === 'judge' || action === 'regrade') && c.grade) v.grade = c.grade;
  if (action === 'judge' && c.nature) v.nature = c.nature;
  if (action === 'assign') {
    v.department = (c.suggested_departments || [])[0] || '';
  }
  if (action === 'set_policy') v.policy = JSON.stringify(c.policy || {}, null, 2);
  const firstId = (list, pred) => (list || []).find(pred)?.id ?? '';
  if (action === 'approve_response' || action === 'reject_response') v.response = firstId(c.responses, (r) => r.status === 'draft');
  if (action === 'complete_task') v.task = firstId(c.tasks, (t) => !t.done_at);
  if (action === 'close_supervision') v.supervision = firstId(c.supervision, (s) => !s.closed_at);
  if (action === 'decide_notice') v.notice = firstId(c.notices, (n) => n.status === 'proposed');
  if (action === 'approve_rumour') v.rumour = firstId(c.rumours, (r) => r.status === 'pending');
  if (action === 'reverse_rumour') v.rumour = firstId(c.rumours, (r) => r.status === 'pending' || r.status === 'handed_over');
  if (action === 'evaluate' && c.evaluation) {
    v.summary = c.evaluation.summary || '';
    v.reflections = c.evaluation.reflections || '';
    v.suggestions = c.evaluation.suggestions || '';
  }
  return v;
}

// The request body: empty optional fields left out, types as the server wants them.
export function buildBody(action, values) {
  const body = {};
  for (const f of ACTION_FIELDS[action] || []) {
    let x = values[f.name];
    if (f.type === 'bool') {
      body[f.name] = !!x;
      continue;
    }
    if (x === undefined || x === null || x === '' || (Array.isArray(x) && !x.length)) continue;
    if (f.type === 'number' || ['response', 'task', 'supervision', 'notice', 'rumour'].includes(f.type)) x = Number(x);
    if (f.type === 'json') x = JSON.parse(x);
    if (f.type === 'datetime') x = x.length === 16 ? x + ':00+08:00' : x;
    if (f.type === 'list' && typeof x === 'string') x = x.split(/[\n,，]+/).map((s) => s.trim()).filter(Boolean);
    body[f.name] = x;
  }
  return body;
}

export function missingFields(action, values) {
  return (ACTION_FIELDS[action] || []).filter((f) => f.required && f.type !== 'bool' && (values[f.name] === '' || values[f.name] === undefined || (Array.isArray(values[f.name]) && !values[f.name].length))).map((f) => f.name);
}
