// Names the server uses (docs/analysis.md, docs/cases.md); their words are in the locales.
export const DOMAINS = [
  'education', 'health', 'environment', 'housing', 'transport', 'public_security', 'market_supervision',
  'employment', 'civil_affairs', 'agriculture', 'emergency', 'natural_resources', 'finance',
  'culture_tourism', 'propaganda', 'other',
];
export const CHANNELS = ['news', 'weibo', 'wechat', 'forum', 'video', 'qa', 'hotline', 'mailbox', 'gov_platform', 'print', 'tv', 'other'];
export const KINDS = ['policy_misreading', 'vital_interests', 'moral_bottom_line', 'emergency'];
export const CASE_STATES = ['new', 'judged', 'assigned', 'accepted', 'responding', 'responded', 'following_up', 'closed', 'evaluated'];
export const OPEN_STATES = CASE_STATES.slice(0, 7);
export const RESPONSE_CHANNELS = ['press_conference', 'briefing', 'release', 'weibo', 'wechat', 'website', 'interview', 'expert'];
export const ROLES = ['admin', 'monitor', 'analyst', 'responder', 'leader', 'coordinator'];
export const TARGET_KINDS = ['webhook', 'wecom', 'dingtalk', 'feishu', 'email'];
