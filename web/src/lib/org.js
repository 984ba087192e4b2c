// Department names by id (GET /api/v1/org/departments), loaded once and shared.
import { reactive } from 'vue';
import { api } from '../api/client.js';

export const org = reactive({ departments: [], byId: {}, loaded: false, error: null });
let loading = null;

export function loadDepartments(force = false) {
  if (!loading || force) {
    loading = api
      .get('/api/v1/org/departments')
      .then((r) => {
        org.departments = r.departments || [];
        org.byId = Object.fromEntries(org.departments.map((d) => [d.id, d]));
        org.loaded = true;
      })
      .catch((e) => {
        org.error = e;
        org.loaded = true;
      });
  }
  return loading;
}

export function deptName(id) {
  if (!id) return '';
  return org.byId[id]?.name || id;
}
