// One group: what it is, where it applies, and its variables, files and mounts with every value masked until its
// own Reveal. The key table is built in one fragment with one delegated listener, so a group at the 1,000-variable
// limit renders in a few tens of milliseconds; the time is kept as the `coffer:group-render` performance measure.

import { groupPath, request } from './api.js';
import { announce, cell, crumbs, groupHref, h, heading, projectHref, projectTabs, replace, table, time } from './dom.js';
import { confirmDialog } from './dialog.js';
import { alertRegion, showError } from './errors.js';
import { describeRestrictions, phaseLabel, typeBadge } from './page-groups.js';
import { createVault } from './values.js';

export async function render(page, { projectId, groupId }) {
  const alert = alertRegion();
  const top = [crumbs([['Projects', '#/projects'], [projectId, projectHref(projectId)], [groupId]]), projectTabs(projectId, 'groups')];
  replace(page, top, heading(groupId), alert, h('p', { class: 'muted' }, 'Loading…'));
  let group;
  let etag;
  try {
    ({ data: group, etag } = await request('GET', groupPath(projectId, groupId), { query: { show: 'this' } }));
  } catch (error) {
    replace(page, top, heading(groupId), alert);
    return showError(alert, error);
  }
  performance.mark('coffer:group-render-start');
  const vault = createVault(page);
  replace(page, top, heading(group.name, group.name === group.id ? undefined : group.id), alert,
    actions(projectId, group, etag, alert, () => render(page, { projectId, groupId })),
    summary(group, etag),
    section('Variables', 'Key', Object.entries(group.secrets?.variables ?? {}), vault, false),
    section('Files', 'Path', Object.entries(group.secrets?.files ?? {}), vault, true),
    section('Docker secret mounts', 'Name', Object.entries(group.secrets?.dockerSecretMounts ?? {}), vault, true),
    addonLinks(group));
  // Reading a layout property makes the browser lay the page out now, so the measure includes that cost too.
  void page.offsetHeight;
  performance.mark('coffer:group-render-end');
  performance.measure('coffer:group-render', 'coffer:group-render-start', 'coffer:group-render-end');
}

function actions(projectId, group, etag, alert, reload) {
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete…');
  remove.addEventListener('click', () => deleteGroup(projectId, group, etag, alert, reload));
  return h('div', { class: 'toolbar' },
    h('a', { class: 'button primary', href: groupHref(projectId, group.id, '/edit') }, 'Edit'),
    h('a', { class: 'button', href: groupHref(projectId, group.id, '/history') }, 'History'),
    remove);
}

function summary(group, etag) {
  const entries = [
    ['Type', typeBadge(group.type)],
    ['Applies to', `${phaseLabel(group.secretType)} (${group.secretType})`],
    ['Priority', String(group.priority)],
    ['Restrictions', describeRestrictions(group.restrictions)],
    ['Description', group.description ?? ''],
    ['Tags', group.tags?.join(', ') ?? ''],
    ['Stage', group.stageId ?? ''],
    ['Version', etag ? etag.replaceAll('"', '') : ''],
    ['Updated', time(group.updatedAt)],
  ].filter(([, value]) => value !== '');
  return h('dl', { class: 'meta' }, entries.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

/** A table of keys and masked values; files and mounts hold `{data, encoding}`. */
function section(title, keyLabel, entries, vault, isFile) {
  const heading2 = h('h2', {}, `${title} `, h('span', { class: 'muted' }, `(${entries.length})`));
  if (entries.length === 0) return [heading2, h('p', { class: 'empty' }, `No ${title.toLowerCase()}.`)];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fragment = document.createDocumentFragment();
  // Each row starts as a clone of one prepared row; the key goes in as text.
  const template = h('tr', {}, h('td', { class: 'key', 'data-label': keyLabel }));
  for (const [key, value] of entries) {
    const row = template.cloneNode(true);
    row.firstChild.textContent = key;
    if (isFile) row.append(cell('Encoding', value?.encoding ?? 'utf-8'));
    row.append(...vault.add(key, value, { isFile }));
    fragment.append(row);
  }
  const columns = isFile ? [keyLabel, 'Encoding', 'Value', ''] : [keyLabel, 'Value', ''];
  const { wrap, table: element, body } = table(columns, []);
  // Grid rows with `content-visibility: auto` (console.css): the browser lays out only the rows on screen, and column
  // widths come from the grid, not from measuring a thousand rows.
  element.classList.add('values');
  if (isFile) element.classList.add('with-encoding');
  body.append(fragment);
  return [heading2, wrap];
}

function addonLinks(group) {
  const links = [
    ...(group.addonDependencies ?? []).map((link) => ['addon', link]),
    ...(group.externalAddonDependencies ?? []).map((link) => ['external addon', link]),
  ];
  if (links.length === 0) return null;
  return [h('h2', {}, 'Linked addons'), h('ul', {}, links.map(([kind, link]) => h('li', {}, `${kind} `, h('code', {}, link.addonId), ': ',
    link.keys.map((key) => `${key.keyName}${key.aliases?.length ? ` (as ${key.aliases.join(', ')})` : ''}`).join(', '))))];
}

/** Deletes after the reader types the group's id; `If-Match` so a group changed meanwhile is not deleted unseen. */
async function deleteGroup(projectId, group, etag, alert, reload) {
  const confirmed = await confirmDialog({
    title: `Delete ${group.name}?`,
    message: 'Every service and job it applies to loses its keys at their next read. Its history is kept for a while, and the API '
      + 'or the CLI can restore it from there.',
    confirmLabel: 'Delete group', typeToConfirm: group.id,
  });
  if (!confirmed) return;
  try {
    await request('DELETE', groupPath(projectId, group.id), { ifMatch: etag });
    announce(`Deleted ${group.name}.`);
    location.assign(projectHref(projectId));
  } catch (error) {
    showError(alert, error, { onReload: reload });
  }
}
