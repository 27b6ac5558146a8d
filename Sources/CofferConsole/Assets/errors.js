// Showing what the API said went wrong, in its own words: the message (a 403's names the missing permission), the
// request id to quote to an operator, a way out of a 412, and each 400 detail next to the field it names.

import { ApiError } from './api.js';
import { h, replace, uniqueId } from './dom.js';

/**
 * Renders `error` into `container` (an alert region). `onReload` adds the 412's offer: the group changed since it
 * was read, so saving again would overwrite someone's change; reloading shows theirs first.
 */
export function showError(container, error, { onReload, unplaced = [] } = {}) {
  const parts = [h('p', {}, h('strong', {}, error.message))];
  if (error.status === 403) parts.push(h('p', {}, 'Sign in with a token that has this permission, or ask an admin for one.'));
  if (error.status === 412) {
    parts.push(h('p', {}, 'Someone changed this since you opened it. Reload to see the current version; what you typed here is kept until you do.'));
    if (onReload) parts.push(h('p', {}, h('button', { type: 'button', class: 'primary', onclick: onReload }, 'Reload the current version')));
  }
  if (unplaced.length > 0) parts.push(h('ul', {}, unplaced.map(([path, messages]) => h('li', {}, h('code', {}, path), ` ${messages.join('; ')}`))));
  if (error.requestId) parts.push(h('p', { class: 'request-id' }, `Request id: ${error.requestId}`));
  replace(container, ...parts);
  container.hidden = false;
  container.setAttribute('role', 'alert');
  container.scrollIntoView?.({ block: 'nearest' });
}

/** An alert region, hidden until an error is shown in it. */
export function alertRegion() {
  return h('div', { class: 'alert', hidden: true, tabindex: '-1' });
}

/** Clears an alert region and every field error inside `form`. */
export function clearErrors(container, form) {
  container.hidden = true;
  container.replaceChildren();
  for (const node of form?.querySelectorAll('.field-error') ?? []) node.remove();
  for (const node of form?.querySelectorAll('[aria-invalid]') ?? []) {
    node.removeAttribute('aria-invalid');
    node.setAttribute('aria-describedby', (node.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => !id.endsWith('-error')).join(' '));
  }
}

/**
 * Puts each `details` entry (keyed by JSON path: `name`, `secrets.variables.FOO`, `restrictions.nfObjects[0].id`) next
 * to the element of `form` whose `data-path` is that path or its longest prefix. Answers the entries no field claims.
 */
export function placeFieldErrors(form, details) {
  const targets = [...form.querySelectorAll('[data-path]')];
  const unplaced = [];
  for (const [path, messages] of Object.entries(details ?? {})) {
    const target = closestTarget(targets, path);
    if (!target) { unplaced.push([path, messages]); continue; }
    const control = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea');
    const note = h('p', { class: 'field-error', id: `${uniqueId('problem')}-error` },
      target.dataset.path === path ? messages.join('; ') : `${path.slice(target.dataset.path.length).replace(/^\./, '')}: ${messages.join('; ')}`);
    (target.querySelector('.errors-slot') ?? target).append(note);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${note.id}`.trim());
    }
  }
  return unplaced;
}

/** The target whose path equals `path` or is its longest prefix ending at a member or index boundary. */
function closestTarget(targets, path) {
  let best = null;
  for (const target of targets) {
    const prefix = target.dataset.path;
    const fits = path === prefix || (path.startsWith(prefix) && (path[prefix.length] === '.' || path[prefix.length] === '['));
    if (fits && (!best || prefix.length > best.dataset.path.length)) best = target;
  }
  return best;
}

/** The JSON path the API writes for a member: bare when a plain name, else quoted in brackets (as `JSONPath` does). */
export function memberPath(parent, name) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${parent}.${name}` : `${parent}[${JSON.stringify(name)}]`;
}

/**
 * A form's request failed: the API's error in `container`, each 400 detail by the field it names, and focus on what
 * to fix. Anything but an `ApiError` is a bug in the page and is thrown on.
 */
export function showFormError(form, container, error, { onReload } = {}) {
  if (!(error instanceof ApiError)) throw error;
  showError(container, error, { onReload, unplaced: placeFieldErrors(form, error.details) });
  focusProblem(form, container);
}

/** Focuses the first invalid field, else the alert, so a keyboard user lands on what to fix. */
export function focusProblem(form, container) {
  const invalid = form?.querySelector('[aria-invalid="true"]');
  (invalid ?? container).focus();
}
