// A project's secret groups, with a search over names and over every key of every group. Key search reads each
// group through the API (there is no key index to ask); it starts on the first search, four reads at a time, and
// keeps only key names: the values those reads carry are dropped at once.

import { get, groupPath, listAll, projectPath } from './api.js';
import { cell, crumbs, groupHref, h, heading, projectHref, projectTabs, replace, table } from './dom.js';
import { alertRegion, showError } from './errors.js';

const PHASES = { environment: 'runtime', arguments: 'build', 'environment-arguments': 'runtime and build' };

/** What a group's `secretType` means for a workload. */
export function phaseLabel(secretType) {
  return PHASES[secretType] ?? secretType;
}

/** A group's restrictions in a sentence: which workloads it applies to (the server decides; this only describes). */
export function describeRestrictions(restrictions) {
  if (!restrictions?.restricted) return 'every service and job';
  const parts = [];
  if (restrictions.nfObjects?.length) parts.push(restrictions.nfObjects.map((object) => `${object.type} ${object.id}`).join(', '));
  if (restrictions.tags?.length) parts.push(`tagged ${restrictions.tags.join(restrictions.tagMatchCondition === 'and' ? ' and ' : ' or ')}`);
  if (restrictions.stageIds?.length) parts.push(`in stage ${restrictions.stageIds.join(' or ')}`);
  return parts.length ? `restricted: ${parts.join('; ')}` : 'restricted to nothing (no workload matches)';
}

export function typeBadge(type) {
  return h('span', { class: `badge ${type}` }, type);
}

export async function render(page, { projectId }) {
  const alert = alertRegion();
  const top = [crumbs([['Projects', '#/projects'], [projectId]]), heading(projectId), projectTabs(projectId, 'groups')];
  replace(page, top, alert, h('p', { class: 'muted' }, 'Loading groups…'));
  let groups;
  try {
    groups = await listAll(projectPath(projectId, 'secrets'), 'secrets');
  } catch (error) {
    replace(page, top, alert);
    return showError(alert, error);
  }
  const search = h('input', { type: 'search', id: 'group-search', placeholder: 'Name, tag or key', autocomplete: 'off', spellcheck: 'false' });
  const progress = h('p', { class: 'muted', role: 'status' });
  const rows = groups.map((group) => groupRow(projectId, group));
  const list = table(['Group', 'Type', 'Applies to', 'Priority', 'Restrictions'], rows.map((row) => row.element));
  const empty = h('p', { class: 'empty', hidden: groups.length > 0 }, groups.length ? 'No group matches.' : 'No groups yet.');
  const keys = keyIndex(projectId, groups, alert, progress);
  let pending;
  search.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(() => filter(rows, search.value, keys, empty), 150);
  });
  replace(page, top, alert,
    h('div', { class: 'toolbar' },
      h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search groups by name or key'), search),
      h('a', { class: 'button primary', href: projectHref(projectId, '/new') }, 'New group')),
    progress, list.wrap, empty);
}

function groupRow(projectId, group) {
  const matches = h('div', { class: 'match-keys', hidden: true });
  const element = h('tr', {},
    cell('Group', h('a', { href: groupHref(projectId, group.id) }, group.name), h('div', { class: 'muted' }, h('code', {}, group.id)),
      group.tags?.length ? h('div', { class: 'muted' }, group.tags.join(', ')) : null, matches),
    cell('Type', typeBadge(group.type)),
    cell('Applies to', phaseLabel(group.secretType)),
    cell('Priority', String(group.priority)),
    cell('Restrictions', describeRestrictions(group.restrictions)));
  return { group, element, matches };
}

/** Filters rows by name, id, tag or key (case-insensitive), listing the matching keys under each group's name. */
async function filter(rows, text, keys, empty) {
  const term = text.trim().toLowerCase();
  const index = term ? await keys.load() : null;
  let shown = 0;
  for (const row of rows) {
    const { group } = row;
    const byName = [group.name, group.id, ...(group.tags ?? [])].some((word) => word.toLowerCase().includes(term));
    const matchingKeys = term ? (index.get(group.id) ?? []).filter((key) => key.toLowerCase().includes(term)) : [];
    row.element.hidden = Boolean(term) && !byName && matchingKeys.length === 0;
    row.matches.hidden = matchingKeys.length === 0;
    replace(row.matches, matchingKeys.length ? ['Keys: ', matchingKeys.slice(0, 8).map((key, i) => [i ? ', ' : '', h('code', {}, key)]),
      matchingKeys.length > 8 ? ` and ${matchingKeys.length - 8} more` : ''] : []);
    if (!row.element.hidden) shown += 1;
  }
  empty.hidden = shown > 0;
}

/** The key names of every group, read once on first use: variables, file paths and mount names. */
function keyIndex(projectId, groups, alert, progress) {
  let loading;
  return {
    load() {
      loading ??= (async () => {
        const index = new Map();
        const queue = [...groups];
        progress.textContent = `Reading the keys of ${groups.length} groups…`;
        const worker = async () => {
          for (let group = queue.shift(); group; group = queue.shift()) {
            try {
              const { data } = await get(groupPath(projectId, group.id), { query: { show: 'this' } });
              index.set(group.id, keyNames(data.secrets));
            } catch (error) {
              showError(alert, error);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(4, groups.length) }, worker));
        progress.textContent = '';
        return index;
      })();
      return loading;
    },
  };
}

function keyNames(secrets = {}) {
  return [...Object.keys(secrets.variables ?? {}), ...Object.keys(secrets.files ?? {}), ...Object.keys(secrets.dockerSecretMounts ?? {})];
}
