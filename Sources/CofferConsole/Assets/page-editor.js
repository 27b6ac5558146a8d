// Creating and editing a group: its fields, and a table of keys per kind (variables, files, mounts). A pasted .env
// is previewed as added, changed and removed keys before it touches the table, and the form keeps a running summary
// of what a save would change. Saving is one PATCH (or POST to create) with `If-Match`, so an edit made elsewhere
// meanwhile is a 412 rather than lost; a failed save leaves everything typed in place.

import { ApiError, groupPath, projectPath, request } from './api.js';
import { announce, crumbs, field, groupHref, guardLeaving, h, heading, projectHref, projectTabs, replace, words } from './dom.js';
import { openDialog } from './dialog.js';
import { previewChanges, parseDotenv } from './dotenv.js';
import { alertRegion, clearErrors, focusProblem, showError, showFormError } from './errors.js';
import { createKeyTable } from './page-editor-keys.js';

export function renderCreate(page, { projectId }) {
  return renderForm(page, projectId, null, null);
}

export async function renderEdit(page, { projectId, groupId }) {
  const alert = alertRegion();
  replace(page, heading(`Edit ${groupId}`), alert, h('p', { class: 'muted' }, 'Loading…'));
  try {
    // `show=this`: the group's own values only, so that addon values are not copied into it on save.
    const { data, etag } = await request('GET', groupPath(projectId, groupId), { query: { show: 'this' } });
    return renderForm(page, projectId, data, etag);
  } catch (error) {
    return showError(alert, error);
  }
}

function renderForm(page, projectId, group, etag) {
  const creating = group === null;
  const alert = alertRegion();
  const controls = fieldControls(group ?? {});
  const secrets = group?.secrets ?? {};
  const tables = {
    variables: createKeyTable({ title: 'Variables', keyLabel: 'Key', path: 'secrets.variables', entries: secrets.variables, kind: 'variable' }),
    files: createKeyTable({ title: 'Files', keyLabel: 'Absolute path', path: 'secrets.files', entries: secrets.files, kind: 'file' }),
    dockerSecretMounts: createKeyTable({
      title: 'Docker secret mounts', keyLabel: 'Name', path: 'secrets.dockerSecretMounts', entries: secrets.dockerSecretMounts, kind: 'file',
    }),
  };
  const withheld = Object.values(tables).some((keys) => keys.hasWithheldValues);
  const pending = h('div', { class: 'notice', role: 'status', hidden: true });
  const save = h('button', { type: 'submit', class: 'primary', disabled: withheld }, creating ? 'Create group' : 'Save changes');
  const paste = h('button', { type: 'button' }, 'Paste .env…');
  // Anything typed, pasted or removed is unsaved work until a save succeeds: leaving asks first.
  const work = { unsaved: false };
  guardLeaving(page, () => work.unsaved);
  const changed = () => { work.unsaved = true; summarise(tables, pending); };
  paste.addEventListener('click', () => pasteDialog(tables.variables, changed));
  const cancelHref = creating ? projectHref(projectId) : groupHref(projectId, group.id);
  const form = h('form', { novalidate: true, class: 'editor' },
    withheld ? h('div', { class: 'alert', role: 'alert' },
      h('p', {}, 'This token may not read some values of this group, so it cannot save it without losing them.')) : null,
    fieldsets(controls, creating, group),
    tables.variables.element, h('div', { class: 'toolbar' }, tables.variables.addButton, paste),
    tables.files.element, h('div', { class: 'toolbar' }, tables.files.addButton),
    tables.dockerSecretMounts.element, h('div', { class: 'toolbar' }, tables.dockerSecretMounts.addButton),
    pending,
    h('div', { class: 'form-actions' }, save, h('a', { class: 'button', href: cancelHref }, 'Cancel')));
  form.addEventListener('input', changed);
  form.addEventListener('click', (event) => { if (event.target.closest('[data-remove]')) queueMicrotask(changed); });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit({ projectId, group, etag, controls, tables, form, alert, save, page, work });
  });
  const title = creating ? 'New group' : `Edit ${group.name}`;
  const trail = [['Projects', '#/projects'], [projectId, projectHref(projectId)]];
  if (!creating) trail.push([group.id, groupHref(projectId, group.id)]);
  replace(page, crumbs([...trail, [creating ? 'new' : 'edit']]), projectTabs(projectId, 'groups'), heading(title), alert, form);
}

/** The group's own fields as controls, filled from `group` (empty for a new one). */
function fieldControls(group) {
  const select = (options, value) => h('select', {},
    options.map(([option, label]) => h('option', { value: option, selected: option === value }, label)));
  const restrictions = group.restrictions ?? {};
  return {
    name: h('input', { type: 'text', autocomplete: 'off', value: group.name ?? '', readonly: Boolean(group.name) }),
    description: h('input', { type: 'text', autocomplete: 'off', value: group.description ?? '' }),
    type: select([['secret', 'secret'], ['config', 'config']], group.type ?? 'secret'),
    secretType: select([
      ['environment', 'runtime (environment)'], ['arguments', 'build (arguments)'], ['environment-arguments', 'both (environment-arguments)'],
    ], group.secretType ?? 'environment'),
    priority: h('input', { type: 'number', inputmode: 'numeric', min: '0', max: '100', step: '1', value: String(group.priority ?? 10) }),
    tags: h('input', { type: 'text', autocomplete: 'off', value: (group.tags ?? []).join(', ') }),
    stageId: h('input', { type: 'text', autocomplete: 'off', value: group.stageId ?? '' }),
    restricted: h('input', { type: 'checkbox', checked: Boolean(restrictions.restricted) }),
    nfObjects: h('input', {
      type: 'text', autocomplete: 'off', value: (restrictions.nfObjects ?? []).map((object) => `${object.type}:${object.id}`).join(', '),
    }),
    restrictionTags: h('input', { type: 'text', autocomplete: 'off', value: (restrictions.tags ?? []).join(', ') }),
    tagMatchCondition: select([['or', 'any of these tags'], ['and', 'all of these tags']], restrictions.tagMatchCondition ?? 'or'),
    stageIds: h('input', { type: 'text', autocomplete: 'off', value: (restrictions.stageIds ?? []).join(', ') }),
  };
}

function fieldsets(c, creating, group) {
  return [
    h('fieldset', {}, h('legend', {}, 'Group'), h('div', { class: 'grid' },
      field('Name', c.name, {
        path: 'name', hint: creating ? 'Its id is the name in lower case with spaces as hyphens.' : `Id ${group.id}; a name cannot change.`,
      }),
      field('Description', c.description, { path: 'description' }),
      field('Type', c.type, { path: 'type', hint: 'Who may read values depends on it.' }),
      field('Applies to', c.secretType, { path: 'secretType' }),
      field('Priority', c.priority, { path: 'priority', hint: '0-100; the higher wins a key two groups both set.' }),
      field('Tags', c.tags, { path: 'tags', hint: 'Labels of the group itself, comma-separated.' }),
      field('Stage', c.stageId, { path: 'stageId' }))),
    h('fieldset', { 'data-path': 'restrictions' }, h('legend', {}, 'Restrictions'),
      h('div', { class: 'field inline', 'data-path': 'restrictions.restricted' }, c.restricted,
        h('label', { for: (c.restricted.id ||= 'restricted') }, 'Restricted: applies only to the workloads below')),
      h('div', { class: 'grid' },
        field('Services and jobs', c.nfObjects, { path: 'restrictions.nfObjects', hint: 'service:id or job:id, comma-separated.' }),
        field('Workload tags', c.restrictionTags, { path: 'restrictions.tags' }),
        field('Tags must match', c.tagMatchCondition, { path: 'restrictions.tagMatchCondition' }),
        field('Stages', c.stageIds, { path: 'restrictions.stageIds' }))),
  ];
}

/** The request body from the form. Nothing is checked here: the API's rules apply, and its 400 names each field. */
function body(c, tables, creating, group) {
  const priorityText = c.priority.value.trim();
  const payload = {
    type: c.type.value,
    secretType: c.secretType.value,
    priority: priorityText !== '' && Number.isFinite(Number(priorityText)) ? Number(priorityText) : priorityText,
    tags: words(c.tags.value),
    restrictions: {
      restricted: c.restricted.checked,
      nfObjects: words(c.nfObjects.value).map((entry) => {
        const [type, ...id] = entry.split(':');
        return { type, id: id.join(':') };
      }),
      tags: words(c.restrictionTags.value),
      tagMatchCondition: c.tagMatchCondition.value,
      stageIds: words(c.stageIds.value),
    },
    secrets: { variables: tables.variables.values(), files: tables.files.values(), dockerSecretMounts: tables.dockerSecretMounts.values() },
  };
  if (creating) payload.name = c.name.value;
  if (c.description.value !== '') payload.description = c.description.value;
  else if (group?.description) payload.description = null;
  if (c.stageId.value.trim() !== '') payload.stageId = c.stageId.value.trim();
  else if (!creating) payload.stageId = null;
  return payload;
}

async function submit({ projectId, group, etag, controls, tables, form, alert, save, page, work }) {
  clearErrors(alert, form);
  const duplicates = Object.values(tables).flatMap((keys) => keys.markDuplicates());
  if (duplicates.length) {
    showError(alert, new ApiError(0, `Each key may appear once: ${duplicates.join(', ')}.`));
    return focusProblem(form, alert);
  }
  const creating = group === null;
  save.disabled = true;
  try {
    const payload = body(controls, tables, creating, group);
    const answer = creating
      ? await request('POST', projectPath(projectId, 'secrets'), { body: payload })
      : await request('PATCH', groupPath(projectId, group.id), { body: payload, ifMatch: etag });
    const version = answer.etag ? ` as version ${answer.etag.replaceAll('"', '')}` : '';
    announce(creating ? `Created ${answer.data.name}.` : `Saved ${answer.data.name}${version}.`);
    work.unsaved = false;
    location.assign(groupHref(projectId, answer.data.id));
  } catch (error) {
    // Each row answers to the JSON path the API names it by, so its 400 details land next to it.
    for (const keys of Object.values(tables)) keys.tagPaths();
    showFormError(form, alert, error, { onReload: creating ? undefined : () => renderEdit(page, { projectId, groupId: group.id }) });
  } finally {
    save.disabled = false;
  }
}

/** The running summary of what saving would change in the key tables, by key name. */
function summarise(tables, box) {
  const lines = [];
  for (const keys of Object.values(tables)) {
    const change = previewChanges(keys.original, keys.currentText(), { replace: true });
    const parts = [['added', change.added], ['changed', change.changed], ['removed', change.removed]].filter(([, list]) => list.length);
    if (parts.length === 0) continue;
    lines.push(h('li', {}, `${keys.title}: `, parts.map(([label, list], index) => [index ? '; ' : '',
      h('span', { class: `badge ${label}` }, `${list.length} ${label}`), ' ', list.slice(0, 12).join(', '), list.length > 12 ? '…' : ''])));
  }
  box.hidden = lines.length === 0;
  replace(box, h('strong', {}, 'Not saved yet'), h('ul', {}, lines));
}

/** The .env dialog: paste, see what it adds, changes and (when replacing) removes, then apply it to the table. */
function pasteDialog(variables, onApplied) {
  const text = h('textarea', { rows: '10', spellcheck: 'false', autocomplete: 'off', id: 'dotenv-text', 'aria-describedby': 'dotenv-preview' });
  const merge = h('input', { type: 'radio', name: 'dotenv-mode', value: 'merge', id: 'dotenv-merge', checked: true });
  const replaceAll = h('input', { type: 'radio', name: 'dotenv-mode', value: 'replace', id: 'dotenv-replace' });
  const preview = h('div', { class: 'preview', id: 'dotenv-preview', 'aria-live': 'polite' });
  const apply = h('button', { type: 'button', class: 'primary', disabled: true }, 'Apply to the table');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  let parsed = { variables: new Map(), errors: [] };
  const update = () => {
    parsed = parseDotenv(text.value);
    const change = previewChanges(variables.currentText(), parsed.variables, { replace: replaceAll.checked });
    apply.disabled = parsed.errors.length > 0 || change.added.length + change.changed.length + change.removed.length === 0;
    replace(preview, previewNodes(change, parsed.errors));
  };
  text.addEventListener('input', update);
  merge.addEventListener('change', update);
  replaceAll.addEventListener('change', update);
  const close = openDialog({
    title: 'Paste a .env file',
    content: h('div', {},
      h('div', { class: 'field' }, h('label', { for: text.id }, 'KEY=value lines, as `coffer import` reads them'), text),
      h('div', { class: 'field inline' }, merge, h('label', { for: merge.id }, 'Add and change keys; keep the others')),
      h('div', { class: 'field inline' }, replaceAll, h('label', { for: replaceAll.id }, 'Replace: keys not in the paste are removed')),
      preview),
    actions: [cancel, apply],
  });
  cancel.addEventListener('click', close);
  apply.addEventListener('click', () => {
    const change = variables.apply(parsed.variables, { replace: replaceAll.checked });
    text.value = '';
    close();
    onApplied();
    announce(`Applied the .env: ${change.added.length} added, ${change.changed.length} changed, ${change.removed.length} removed. Not saved yet.`);
  });
}

function previewNodes(change, errors) {
  if (errors.length) {
    return h('div', { class: 'alert', role: 'alert' }, h('p', {}, 'The paste has lines that are not KEY=value:'),
      h('ul', {}, errors.map((error) => h('li', {}, `line ${error.line}: ${error.reason}`))));
  }
  const groups = [['added', change.added], ['changed', change.changed], ['removed', change.removed]];
  const total = change.added.length + change.changed.length + change.removed.length;
  return [h('p', {}, total ? `${total} key${total === 1 ? '' : 's'} would change; ${change.unchanged} unchanged.` : 'Nothing would change.'),
    groups.filter(([, keys]) => keys.length).map(([label, keys]) => h('div', { class: `preview-${label}` },
      h('span', { class: `badge ${label}` }, `${label} (${keys.length})`), ' ', keys.map((key, index) => [index ? ', ' : '', h('code', {}, key)])))];
}
