// A group's history: every version (who, when, which keys), a diff of any two by key name (or, when asked, with the
// values before and after, each masked until its own Reveal), and rollback to an earlier version as a new version.

import { get, groupPath, request } from './api.js';
import { announce, append, cell, changedList, crumbs, groupHref, h, heading, projectHref, projectTabs, replace, table, time } from './dom.js';
import { confirmDialog } from './dialog.js';
import { alertRegion, showError } from './errors.js';
import { createVault } from './values.js';

export async function render(page, { projectId, groupId }) {
  const alert = alertRegion();
  const top = [
    crumbs([['Projects', '#/projects'], [projectId, projectHref(projectId)], [groupId, groupHref(projectId, groupId)], ['history']]),
    projectTabs(projectId, 'groups'), heading(`History of ${groupId}`)];
  replace(page, top, alert, h('p', { class: 'muted' }, 'Loading versions…'));
  let versions;
  try {
    ({ data: { versions } } = await get(groupPath(projectId, groupId, 'versions'), { query: { per_page: 100 } }));
  } catch (error) {
    replace(page, top, alert);
    return showError(alert, error);
  }
  const current = versions.find((version) => version.current);
  const diffArea = h('section', { 'aria-label': 'Difference', id: 'diff' });
  const rerender = () => render(page, { projectId, groupId });
  const rows = versions.map((version) => versionRow(projectId, groupId, version, current, alert, rerender));
  replace(page, top, alert,
    diffPicker(projectId, groupId, versions, diffArea, alert), diffArea,
    h('h2', {}, 'Versions'), table(['Version', 'When', 'By', 'Action', 'Changed', ''], rows).wrap);
}

function versionRow(projectId, groupId, version, current, alert, rerender) {
  const changed = changedList(version);
  const canRollBack = current && !version.current && version.action !== 'delete';
  const rollback = canRollBack
    ? h('button', { type: 'button', class: 'small', 'aria-label': `Roll back to version ${version.version}` }, 'Roll back…')
    : null;
  rollback?.addEventListener('click', () => rollBack(projectId, groupId, version.version, current.version, alert, rerender));
  return h('tr', {},
    cell('Version', `v${version.version} `, version.current ? h('span', { class: 'badge current' }, 'current') : null),
    cell('When', time(version.at)), cell('By', h('code', {}, version.actor)), cell('Action', version.action),
    cell('Changed', changed || '—'), h('td', { class: 'actions' }, rollback));
}

/** Two version pickers and a Compare button; defaults compare the current version with the one before it. */
function diffPicker(projectId, groupId, versions, area, alert) {
  const options = (selected) => versions.map((version) =>
    h('option', { value: String(version.version), selected: version.version === selected }, `v${version.version} ${version.action}`));
  const newest = versions[0]?.version ?? 1;
  const from = h('select', { id: 'diff-from' }, options(versions[1]?.version ?? newest));
  const to = h('select', { id: 'diff-to' }, options(newest));
  // Values only when asked for: the API then needs the value permission of both versions (a 403 names it).
  const withValues = h('input', { type: 'checkbox', id: 'diff-values' });
  const compare = h('button', { type: 'submit', class: 'primary' }, 'Compare');
  const form = h('form', { class: 'toolbar' },
    h('div', { class: 'field' }, h('label', { for: from.id }, 'From'), from),
    h('div', { class: 'field' }, h('label', { for: to.id }, 'To'), to),
    h('div', { class: 'field inline' }, withValues, h('label', { for: withValues.id }, 'With values')), compare);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = { from: from.value, to: to.value, showValues: withValues.checked ? 'true' : undefined };
    try {
      const { data } = await get(groupPath(projectId, groupId, 'diff'), { query });
      replace(area, diffView(data));
      area.querySelector('h2').focus();
    } catch (error) {
      showError(alert, error);
    }
  });
  return versions.length > 1 ? form : h('p', { class: 'muted' }, 'Only one version so far.');
}

/**
 * The changes, kind by kind: a list of key names, or with values a table of each key's value before and after. The
 * values live in a vault of this view's own element, so comparing again drops them with the view.
 */
function diffView(diff) {
  const root = h('div');
  const vault = createVault(root);
  const kinds = [['Variables', diff.variables, false], ['Files', diff.files, true], ['Docker secret mounts', diff.dockerSecretMounts, true]];
  const parts = [];
  for (const [label, changes, isFile] of kinds) {
    // Entries are key names, or `{key, from, to}` when values were asked for (`from` absent when added, `to` when removed).
    const entries = ['added', 'changed', 'removed'].flatMap((change) => (changes?.[change] ?? []).map((entry) => [change, entry]));
    if (entries.length === 0) continue;
    const badge = (change) => h('span', { class: `badge ${change}` }, change);
    if (entries.every(([, entry]) => typeof entry === 'string')) {
      parts.push(h('h3', {}, label), h('ul', { class: 'diff-list' }, entries.map(([change, key]) =>
        h('li', { class: `diff-${change}` }, badge(change), ' ', h('code', {}, key)))));
      continue;
    }
    const side = (column, key, value) => {
      if (value === null || value === undefined) return cell(column, h('span', { class: 'muted' }, '—'));
      const [valueNode, buttons] = vault.add(`${key} ${column.toLowerCase()}`, value, { isFile, as: 'span' });
      return cell(column, h('div', { class: 'diff-value' }, valueNode, buttons));
    };
    const rows = entries.map(([change, entry]) => h('tr', { class: `diff-${change}` },
      cell('Change', badge(change)), cell('Key', h('code', {}, entry.key)),
      side('Before', entry.key, entry.from), side('After', entry.key, entry.to)));
    parts.push(h('h3', {}, label), table(['Change', 'Key', 'Before', 'After'], rows).wrap);
  }
  if (diff.fields?.length) parts.push(h('h3', {}, 'Fields'), h('p', {}, diff.fields.join(', ')));
  return append(root, [h('h2', { tabindex: '-1' }, `Changes from v${diff.from} to v${diff.to}`),
    parts.length ? parts : h('p', { class: 'empty' }, 'The two versions hold the same content.')]);
}

/** Rolls back after confirmation; `If-Match` on the current version, so a change made meanwhile is a 412. */
async function rollBack(projectId, groupId, target, currentVersion, alert, rerender) {
  const confirmed = await confirmDialog({
    title: `Roll back to version ${target}?`,
    message: `The group becomes what it was at version ${target}, recorded as a new version after v${currentVersion}. `
      + 'Services and jobs get those values at their next read.',
    confirmLabel: `Roll back to v${target}`,
  });
  if (!confirmed) return;
  try {
    const { etag } = await request('POST', groupPath(projectId, groupId, 'rollback'), { body: { version: target }, ifMatch: `"${currentVersion}"` });
    await rerender();
    announce(`Rolled back to version ${target}${etag ? `, now version ${etag.replaceAll('"', '')}` : ''}.`);
  } catch (error) {
    showError(alert, error, { onReload: rerender });
  }
}
