// A project's audit log: who changed what, when, through which route, oldest first as the API answers, filtered by
// the API's own query parameters and paged with its cursor. Entries name keys, never values.

import { get, projectPath } from './api.js';
import { cell, changedList, crumbs, field, h, heading, projectHref, projectTabs, replace, table, time } from './dom.js';
import { alertRegion, clearErrors, showFormError } from './errors.js';

const ACTIONS = ['create', 'update', 'delete', 'revoke', 'rollback', 'restore'];
const RESOURCE_TYPES = ['project', 'secret', 'addon', 'external-addon', 'service', 'job', 'token'];

export function render(page, { projectId }) {
  const alert = alertRegion();
  const choice = (values) => h('select', {}, h('option', { value: '' }, 'any'), values.map((value) => h('option', { value }, value)));
  const filters = {
    resourceId: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' }),
    resourceType: choice(RESOURCE_TYPES),
    action: choice(ACTIONS),
    actor: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' }),
    since: h('input', { type: 'datetime-local', step: '1' }),
    until: h('input', { type: 'datetime-local', step: '1' }),
  };
  const results = h('div', { id: 'audit-results' });
  const form = h('form', { novalidate: true },
    h('div', { class: 'grid' },
      field('Resource id', filters.resourceId, { path: 'resourceId', hint: 'A group, addon, workload or token id.' }),
      field('Resource type', filters.resourceType, { path: 'resourceType' }),
      field('Action', filters.action, { path: 'action' }),
      field('Actor (token id)', filters.actor, { path: 'actor' }),
      field('Since', filters.since, { path: 'since' }),
      field('Until (not included)', filters.until, { path: 'until' })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply filters'), h('button', { type: 'reset' }, 'Clear')));
  const load = () => search(projectId, query(filters), results, form, alert);
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  form.addEventListener('reset', () => setTimeout(load));
  replace(page, crumbs([['Projects', '#/projects'], [projectId, projectHref(projectId)], ['audit log']]),
    heading(projectId, 'audit log'), projectTabs(projectId, 'audit'), alert,
    h('details', { open: true }, h('summary', {}, 'Filters'), form), results);
  return load();
}

/** The query parameters of the filled-in filters; local date-times become RFC 3339 UTC timestamps. */
function query(filters) {
  const values = Object.fromEntries(Object.entries(filters).map(([name, control]) => [name, control.value.trim()]));
  for (const name of ['since', 'until']) if (values[name]) values[name] = new Date(values[name]).toISOString();
  return values;
}

async function search(projectId, parameters, results, form, alert, cursor, body) {
  clearErrors(alert, form);
  try {
    const { data, pagination } = await get(projectPath(projectId, 'audit'), { query: { ...parameters, per_page: 100, cursor } });
    const rows = data.entries.map(entryRow);
    if (!body) {
      const list = table(['When', 'Actor', 'Action', 'Resource', 'Version', 'Changed', 'Route'], rows);
      body = list.body;
      replace(results, h('p', { class: 'muted', role: 'status' }, rows.length ? '' : 'No entries match.'), rows.length ? list.wrap : null);
    } else {
      body.append(...rows);
    }
    results.querySelector('.more')?.remove();
    if (pagination?.hasNextPage) {
      const more = h('button', { type: 'button', class: 'more' }, 'Load more');
      more.addEventListener('click', () => search(projectId, parameters, results, form, alert, pagination.cursor, body));
      results.append(more);
    }
  } catch (error) {
    showFormError(form, alert, error);
  }
}

function entryRow(entry) {
  return h('tr', {},
    cell('When', time(entry.at)), cell('Actor', h('code', {}, entry.actor)), cell('Action', entry.action),
    cell('Resource', `${entry.resourceType} `, h('code', {}, entry.resourceId)), cell('Version', entry.version ? `v${entry.version}` : ''),
    cell('Changed', changedList(entry)), cell('Route', entry.route ? h('code', {}, entry.route) : ''));
}
