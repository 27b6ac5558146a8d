// The team's projects, and a form to start one.

import { listAll, request } from './api.js';
import { announce, cell, field, h, heading, projectHref, replace, table } from './dom.js';
import { alertRegion, clearErrors, showError, showFormError } from './errors.js';

export async function render(page) {
  const alert = alertRegion();
  replace(page, heading('Projects'), alert, h('p', { class: 'muted' }, 'Loading projects…'));
  let projects;
  try {
    projects = await listAll('/v1/projects', 'projects');
  } catch (error) {
    replace(page, heading('Projects'), alert);
    return showError(alert, error);
  }
  const rows = projects.map((project) => h('tr', {},
    cell('Name', h('a', { href: projectHref(project.id) }, project.name)),
    cell('Id', h('code', {}, project.id)),
    cell('Description', project.description ?? '')));
  replace(page, heading('Projects'), alert,
    projects.length ? table(['Name', 'Id', 'Description'], rows).wrap : h('p', { class: 'empty' }, 'No projects yet.'),
    createForm(alert));
}

/** `POST /v1/projects`: the id is derived from the name by the server. */
function createForm(alert) {
  const name = h('input', { type: 'text', autocomplete: 'off' });
  const description = h('input', { type: 'text', autocomplete: 'off' });
  const form = h('form', { novalidate: true },
    h('h2', {}, 'New project'),
    h('div', { class: 'grid' }, field('Name', name, { path: 'name' }), field('Description', description, { path: 'description' })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create project')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(alert, form);
    const body = { name: name.value };
    if (description.value) body.description = description.value;
    try {
      const { data } = await request('POST', '/v1/projects', { body });
      announce(`Created project ${data.name}.`);
      location.assign(projectHref(data.id));
    } catch (error) {
      showFormError(form, alert, error);
    }
  });
  return form;
}
