// Building the page. Every piece of text goes in as a text node, never as markup: the console shows names, keys and
// values that anyone with write access chose, so nothing read from the API may ever be parsed as HTML. (The server's
// Content-Security-Policy also requires Trusted Types, so handing an element a string of HTML would throw.)

/** Properties set on the element rather than as attributes, so that a typed value stays out of the markup. */
const PROPERTIES = new Set(['value', 'checked', 'selected', 'indeterminate']);

/**
 * An element with attributes, event listeners (`onclick`) and children (nodes, strings, numbers, arrays; null and
 * false are skipped). Example: `h('button', {type: 'button', onclick: save}, 'Save')`.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'style') throw new Error('inline styles are not allowed by the console\'s CSP; use a class');
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (PROPERTIES.has(name)) element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children as `h` takes them. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces everything inside `parent` with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** A table in its scrolling wrapper. `columns` are header labels; `reflow` lets narrow screens show one card per row. */
export function table(columns, rows, { reflow = true, caption } = {}) {
  const body = h('tbody', {}, rows);
  const element = h('table', { class: reflow ? 'reflow' : undefined },
    caption ? h('caption', { class: 'muted' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((label) => h('th', { scope: 'col' }, label)))),
    body);
  return { wrap: h('div', { class: 'table-wrap' }, element), table: element, body };
}

/** A cell labelled by its column for the narrow-screen reflow. */
export function cell(label, ...children) {
  return h('td', { 'data-label': label }, children);
}

/** A labelled form field: `<label>`, the control, an optional hint; `path` ties it to the API's 400 details. */
export function field(label, control, { hint, path } = {}) {
  control.id ||= uniqueId('field');
  const hintNode = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return h('div', { class: 'field', dataset: path ? { path } : undefined }, h('label', { for: control.id }, label), control, hintNode);
}

let counter = 0;
/** An id unique on this page, for label and description links. */
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** `2026-11-28T17:00:00.000Z` as the reader's local date and time. */
export function when(timestamp) {
  if (!timestamp) return '';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A version's or audit entry's `changedKeys` and `changedFields` in one line: `A, B, (priority)`. */
export function changedList({ changedKeys = [], changedFields = [] }) {
  return [...changedKeys, ...changedFields.map((name) => `(${name})`)].join(', ');
}

/** `<time>` with the machine timestamp kept for readers that want it. */
export function time(timestamp) {
  return h('time', { datetime: timestamp, title: timestamp }, when(timestamp));
}

/** Breadcrumbs: `[['Projects', '#/projects'], ['demo']]`, the last one the current page. */
export function crumbs(items) {
  return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('ol', {}, items.map(([label, href], index) =>
    h('li', {}, href && index < items.length - 1 ? h('a', { href }, label) : h('span', { 'aria-current': 'page' }, label)))));
}

/** The page with unsaved work, and how to ask it: while it is shown and `isDirty()` answers true, leaving asks first. */
let leaveGuard = null;

/** Registers `page`'s unsaved work (the editor's typed changes); a later page's guard replaces it. */
export function guardLeaving(page, isDirty) {
  leaveGuard = { page, isDirty };
}

/** Whether the page shown holds work that leaving would lose. */
export function hasUnsavedWork() {
  return Boolean(leaveGuard && leaveGuard.page.isConnected && leaveGuard.isDirty());
}

/** True when nothing would be lost, or when the reader says to leave anyway; the work left is then forgotten, so the
 * navigation that follows does not ask again. */
export function mayLeave() {
  if (!hasUnsavedWork()) return true;
  if (!window.confirm('Leave this page? The changes typed here are not saved.')) return false;
  leaveGuard = null;
  return true;
}

/** Says `message` in the status line for a few seconds (a polite live region, so screen readers hear it too). */
export function announce(message) {
  const status = document.getElementById('status');
  status.textContent = message;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { status.textContent = ''; }, 5000);
}

/** Comma- or space-separated text as a list, empty entries dropped. */
export function words(text) {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The page's `<h1>`, focusable so that navigation can move focus (and a screen reader) to it. */
export function heading(text, sub) {
  return h('h1', { tabindex: '-1' }, text, sub ? h('span', { class: 'sub' }, ' ', sub) : null);
}

/** The project's sections: groups, workloads, audit. */
export function projectTabs(projectId, current) {
  const base = projectHref(projectId);
  const tabs = [['groups', 'Groups', base], ['workloads', 'Services and jobs', `${base}/workloads`], ['audit', 'Audit log', `${base}/audit`]];
  return h('nav', { class: 'tabs', 'aria-label': 'Project' }, tabs.map(([name, label, href]) =>
    h('a', { href, 'aria-current': name === current ? 'page' : undefined }, label)));
}

/** `#/projects/{p}` and its pages (`suffix` such as `/audit`), escaped. */
export function projectHref(projectId, suffix = '') {
  return `#/projects/${encodeURIComponent(projectId)}${suffix}`;
}

/** `#/projects/{p}/groups/{g}` and its pages, escaped. */
export function groupHref(projectId, groupId, suffix = '') {
  return projectHref(projectId, `/groups/${encodeURIComponent(groupId)}${suffix}`);
}
