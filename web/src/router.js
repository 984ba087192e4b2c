// History-mode routes (the server answers index.html for any non-/api path). Every screen is
// loaded lazily; a route names the permission it needs, and the navigation hides what the
// user's role may not open (the server refuses it anyway).
import { createRouter, createWebHistory } from 'vue-router';
import { session, can, whenLoaded } from './api/session.js';

export const routes = [
  { path: '/', name: 'monitor', component: () => import('./screens/monitor/MonitorScreen.vue'), meta: { perm: 'read_events', nav: 'monitor', wall: true } },
  { path: '/events', name: 'events', component: () => import('./screens/events/EventList.vue'), meta: { perm: 'read_events', nav: 'events' } },
  { path: '/events/:id(\\d+)', name: 'event', component: () => import('./screens/events/EventDetail.vue'), meta: { perm: 'read_events', nav: 'events' }, props: true },
  { path: '/search', name: 'search', component: () => import('./screens/search/SearchScreen.vue'), meta: { perm: 'read_posts', nav: 'search' } },
  { path: '/rules', name: 'rules', component: () => import('./screens/rules/RulesScreen.vue'), meta: { perm: 'read_rules', nav: 'rules' } },
  { path: '/rules/new', name: 'rule-new', component: () => import('./screens/rules/RuleEdit.vue'), meta: { perm: 'manage_rules', nav: 'rules' } },
  { path: '/rules/:id(\\d+)', name: 'rule', component: () => import('./screens/rules/RuleEdit.vue'), meta: { perm: 'read_rules', nav: 'rules' }, props: true },
  { path: '/alerts', name: 'alerts', component: () => import('./screens/alerts/AlertsScreen.vue'), meta: { perm: 'read_alerts', nav: 'alerts' } },
  { path: '/alerts/:id(\\d+)', name: 'alert', component: () => import('./screens/alerts/AlertDetail.vue'), meta: { perm: 'read_alerts', nav: 'alerts' }, props: true },
  { path: '/cases', name: 'cases', component: () => import('./screens/cases/CaseBoard.vue'), meta: { perm: 'read_cases', nav: 'cases' } },
  { path: '/cases/:id(\\d+)', name: 'case', component: () => import('./screens/cases/CaseDetail.vue'), meta: { perm: 'read_cases', nav: 'cases' }, props: true },
  { path: '/assessment', name: 'assessment', component: () => import('./screens/assessment/AssessmentScreen.vue'), meta: { perm: 'read_assessment', nav: 'assessment' } },
  { path: '/sources', name: 'sources', component: () => import('./screens/sources/SourcesScreen.vue'), meta: { perm: 'read_posts', nav: 'sources' } },
  { path: '/reports', name: 'reports', component: () => import('./screens/reports/ReportsScreen.vue'), meta: { perm: 'read_reports', nav: 'reports' } },
  { path: '/admin', name: 'admin', component: () => import('./screens/admin/AdminScreen.vue'), meta: { perm: 'read_org', nav: 'admin' } },
  { path: '/account', name: 'account', component: () => import('./screens/admin/AccountScreen.vue'), meta: { perm: 'self' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./screens/common/NotFound.vue'), meta: {} },
];

// The navigation, in order; a tab shows when the user holds its permission.
export const NAV = [
  { key: 'monitor', to: '/', perm: 'read_events' },
  { key: 'events', to: '/events', perm: 'read_events' },
  { key: 'search', to: '/search', perm: 'read_posts' },
  { key: 'rules', to: '/rules', perm: 'read_rules' },
  { key: 'alerts', to: '/alerts', perm: 'read_alerts' },
  { key: 'cases', to: '/cases', perm: 'read_cases' },
  { key: 'assessment', to: '/assessment', perm: 'read_assessment' },
  { key: 'reports', to: '/reports', perm: 'read_reports' },
  { key: 'sources', to: '/sources', perm: 'read_posts' },
  { key: 'admin', to: '/admin', perm: 'manage_users', alt: ['manage_org', 'manage_tokens'] },
];

export function visibleNav() {
  return NAV.filter((n) => can(n.perm) || (n.alt || []).some(can));
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  await whenLoaded();
  if (!session.user) return true; // the login screen covers everything; checked again after login
  const perm = to.meta.perm;
  if (perm && !can(perm)) {
    // The monitoring screen is the home of those who watch; others start at their cases.
    if (to.name === 'monitor') return can('read_cases') ? { name: 'cases' } : { name: 'account' };
    return { name: 'not-found', params: { rest: to.path.slice(1).split('/') }, query: { denied: perm } };
  }
  return true;
});
