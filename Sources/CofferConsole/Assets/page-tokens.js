// The team's tokens, for a token that may manage them: the list (never a token's text, which the server does not
// keep), a form to create one, whose text is shown once in a dialog and dropped when it closes, and revocation.

import { listAll, request } from './api.js';
import { announce, cell, field, h, heading, replace, table, time, words } from './dom.js';
import { confirmDialog, openDialog } from './dialog.js';
import { alertRegion, clearErrors, showError, showFormError } from './errors.js';

const ROLES = [
  ['developer', 'developer: everything but tokens'], ['viewer', 'viewer: lists and metadata, no values'],
  ['config-editor', 'config-editor: config-type groups only'], ['workload', 'workload: one workload\'s effective environment'],
  ['admin', 'admin: everything, including tokens'],
];

export async function render(page) {
  const alert = alertRegion();
  const top = [heading('Tokens', 'of the team')];
  replace(page, top, alert, h('p', { class: 'muted' }, 'Loading tokens…'));
  let tokens;
  try {
    tokens = await listAll('/v1/tokens', 'tokens');
  } catch (error) {
    replace(page, top, alert);
    return showError(alert, error);
  }
  const rerender = () => render(page);
  const rows = tokens.map((token) => tokenRow(token, alert, rerender));
  replace(page, top, alert, table(['Name', 'Id', 'Role', 'Scope', 'Status', 'Created', 'Expires', ''], rows).wrap, createForm(alert, rerender));
}

function tokenRow(token, alert, rerender) {
  const revoke = token.status === 'active'
    ? h('button', { type: 'button', class: 'small danger', 'aria-label': `Revoke ${token.name}` }, 'Revoke…')
    : null;
  revoke?.addEventListener('click', async () => {
    const confirmed = await confirmDialog({
      title: `Revoke ${token.name}?`, confirmLabel: 'Revoke token',
      message: 'Every request made with it is refused from now on. This cannot be undone; make a new token instead.',
    });
    if (!confirmed) return;
    try {
      await request('DELETE', `/v1/tokens/${encodeURIComponent(token.id)}`);
      await rerender();
      announce(`Revoked ${token.name}.`);
    } catch (error) {
      showError(alert, error);
    }
  });
  const { workload } = token;
  const scope = workload ? `${workload.kind} ${workload.projectId}/${workload.id}` : token.projects?.join(', ') ?? 'every project';
  return h('tr', { dataset: { tokenId: token.id } },
    cell('Name', token.name), cell('Id', h('code', {}, token.id)), cell('Role', token.role), cell('Scope', scope),
    cell('Status', h('span', { class: `badge ${token.status === 'active' ? 'added' : 'removed'}` }, token.status)),
    cell('Created', time(token.createdAt)), cell('Expires', token.expiresAt ? time(token.expiresAt) : 'never'),
    h('td', { class: 'actions' }, revoke));
}

function createForm(alert, rerender) {
  const c = {
    name: h('input', { type: 'text', autocomplete: 'off' }),
    role: h('select', {}, ROLES.map(([value, label]) => h('option', { value }, label))),
    projects: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' }),
    workloadProject: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' }),
    workloadKind: h('select', {}, h('option', { value: 'service' }, 'service'), h('option', { value: 'job' }, 'job')),
    workloadId: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' }),
    expiresAt: h('input', { type: 'datetime-local' }),
  };
  const workload = h('fieldset', { 'data-path': 'workload', hidden: true }, h('legend', {}, 'Workload'), h('div', { class: 'grid' },
    field('Project', c.workloadProject, { path: 'workload.projectId' }), field('Kind', c.workloadKind, { path: 'workload.kind' }),
    field('Id', c.workloadId, { path: 'workload.id' })));
  c.role.addEventListener('change', () => { workload.hidden = c.role.value !== 'workload'; });
  const form = h('form', { novalidate: true },
    h('h2', {}, 'New token'),
    h('div', { class: 'grid' },
      field('Name', c.name, { path: 'name' }), field('Role', c.role, { path: 'role' }),
      field('Limited to projects', c.projects, { path: 'projects', hint: 'Project ids, comma-separated; empty for every project.' }),
      field('Expires', c.expiresAt, { path: 'expiresAt', hint: 'Empty for never.' })),
    workload,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create token')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(alert, form);
    const body = { name: c.name.value, role: c.role.value };
    if (words(c.projects.value).length) body.projects = words(c.projects.value);
    if (c.role.value === 'workload') body.workload = { projectId: c.workloadProject.value, kind: c.workloadKind.value, id: c.workloadId.value };
    if (c.expiresAt.value) body.expiresAt = new Date(c.expiresAt.value).toISOString();
    try {
      const { data } = await request('POST', '/v1/tokens', { body });
      form.reset();
      workload.hidden = true;
      showSecretOnce(data, rerender);
    } catch (error) {
      showFormError(form, alert, error);
    }
  });
  return form;
}

/** The new token's text, this once. The dialog's node (and with it the text) leaves the page when it closes. */
function showSecretOnce(created, rerender) {
  let secret = created.secret;
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(secret);
      announce('Copied the token to the clipboard.');
    } catch {
      announce('The browser refused to copy; select the text instead.');
    }
  });
  const done = h('button', { type: 'button', class: 'primary' }, 'I have stored it');
  const close = openDialog({
    title: `Token ${created.token.name} created`,
    content: h('div', {},
      h('p', {}, h('strong', {}, 'This is the only time this token is shown.'),
        ' Coffer keeps only its hash; store it in your secret manager or CI now.'),
      h('code', { class: 'secret-once', id: 'new-token-secret' }, secret)),
    actions: [copy, done],
    initialFocus: copy,
    onClose: () => { secret = null; rerender(); },
  });
  done.addEventListener('click', close);
}
