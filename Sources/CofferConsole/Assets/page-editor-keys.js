// One table of keys in the editor: variables (a key and a masked value) or files and mounts (a path or name and
// text content). Rows are plain inputs, so the form keeps whatever was typed through a failed save; a binary file
// keeps its bytes untouched (it can be renamed or removed here, not edited).

import { h, table } from './dom.js';
import { memberPath } from './errors.js';
import { decodeFile, encodeFile, isWithheld, MASK } from './values.js';

/**
 * `entries` as stored (`{KEY: value}` or `{path: {data, encoding}}`); `kind` is `variable` or `file`; `path` is
 * the JSON path of the map in the body (`secrets.variables`), under which the API names a row's problems.
 */
export function createKeyTable({ title, keyLabel, path, entries = {}, kind }) {
  const rows = [];
  const original = new Map();
  const { wrap, body } = table([keyLabel, kind === 'file' ? 'Content' : 'Value', ''], [], { reflow: true });
  const heading = h('h2', {}, title);
  const empty = h('p', { class: 'empty' }, `No ${title.toLowerCase()}.`);
  const refresh = () => { empty.hidden = rows.length > 0; wrap.hidden = rows.length === 0; };

  const addRow = (key, stored) => {
    const row = kind === 'file' ? fileRow(key, stored) : variableRow(key, stored);
    row.element.querySelector('[data-remove]').addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      row.element.remove();
      refresh();
    });
    rows.push(row);
    body.append(row.element);
    refresh();
    return row;
  };
  const fragmentRows = Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, stored] of fragmentRows) {
    const row = addRow(key, stored);
    original.set(key, row.text());
  }
  const addButton = h('button', { type: 'button' }, `Add ${kind === 'file' ? (path.endsWith('Mounts') ? 'mount' : 'file') : 'variable'}`);
  addButton.addEventListener('click', () => addRow('', kind === 'file' ? { data: '', encoding: 'utf-8' } : '').key.focus());
  refresh();

  const named = () => rows.filter((row) => row.key.value !== '' || row.text() !== '');
  return {
    title,
    element: h('section', { 'data-path': path }, heading, empty, wrap),
    addButton,
    original,
    hasWithheldValues: rows.some((row) => row.withheld),
    /** Key -> text of every row with a key or a value (what the summary and the .env preview compare). */
    currentText: () => new Map(named().map((row) => [row.key.value, row.text()])),
    /** The map for the request body. */
    values: () => Object.fromEntries(named().map((row) => [row.key.value, row.stored()])),
    /** Applies a pasted set of variables: changes existing rows, adds new ones and, replacing, removes the rest. */
    apply(incoming, { replace }) {
      const byKey = new Map(rows.map((row) => [row.key.value, row]));
      const change = { added: [], changed: [], removed: [] };
      for (const [key, value] of incoming) {
        const row = byKey.get(key);
        if (!row) { addRow(key, value).element.classList.add('pending'); change.added.push(key); continue; }
        if (row.text() !== value) { row.setText(value); row.element.classList.add('pending'); change.changed.push(key); }
      }
      if (replace) {
        for (const row of [...rows]) {
          if (!incoming.has(row.key.value)) { row.element.querySelector('[data-remove]').click(); change.removed.push(row.key.value); }
        }
      }
      return change;
    },
    /** Ties each row to the JSON path the API would name it by, for its 400 details. */
    tagPaths() {
      for (const row of rows) row.element.dataset.path = memberPath(path, row.key.value);
    },
    /** Marks keys that appear twice (a JSON object holds each once); answers them. */
    markDuplicates() {
      const seen = new Map();
      const duplicates = new Set();
      for (const row of named()) {
        if (seen.has(row.key.value)) duplicates.add(row.key.value);
        seen.set(row.key.value, row);
      }
      for (const row of named()) {
        if (!duplicates.has(row.key.value)) continue;
        row.key.setAttribute('aria-invalid', 'true');
        row.element.querySelector('.errors-slot').append(h('p', { class: 'field-error' }, 'appears more than once'));
      }
      return [...duplicates];
    },
  };
}

function keyCell(key, label) {
  const input = h('input', { type: 'text', value: key, autocomplete: 'off', spellcheck: 'false', 'aria-label': label, class: 'mono' });
  return { input, cell: h('td', { class: 'key', 'data-label': label }, input, h('div', { class: 'errors-slot' })) };
}

function removeCell(label) {
  return h('td', { class: 'actions' }, h('button', { type: 'button', class: 'small', 'data-remove': '', 'aria-label': `Remove ${label}` }, 'Remove'));
}

/** A variable: its value in a password input (masked on screen, out of the markup) with a Show toggle. */
function variableRow(key, value) {
  const { input, cell } = keyCell(key, 'Key');
  const withheld = value === null;
  const valueInput = h('input', {
    type: 'password', value: value ?? '', autocomplete: 'off', spellcheck: 'false', disabled: withheld,
    'aria-label': `Value of ${key || 'new variable'}`,
  });
  const show = h('button', { type: 'button', class: 'small', 'aria-pressed': 'false', disabled: withheld }, 'Show');
  show.addEventListener('click', () => {
    const shown = valueInput.type === 'password';
    valueInput.type = shown ? 'text' : 'password';
    show.textContent = shown ? 'Hide' : 'Show';
    show.setAttribute('aria-pressed', String(shown));
  });
  const element = h('tr', { class: 'key-row' }, cell,
    h('td', { 'data-label': 'Value' }, h('div', { class: 'value-cell' }, valueInput, show)), removeCell(key || 'new variable'));
  return {
    element, key: input, withheld,
    text: () => valueInput.value,
    setText: (text) => { valueInput.value = text; },
    stored: () => valueInput.value,
  };
}

/** A file or mount: text content in a textarea shown on demand; a binary one is kept as stored. */
function fileRow(key, stored) {
  const { input, cell } = keyCell(key, 'Path');
  const withheld = isWithheld(stored, true);
  const text = withheld ? null : decodeFile(stored);
  const original = text;
  const content = h('textarea', {
    rows: '4', spellcheck: 'false', autocomplete: 'off', value: text ?? '', hidden: true, 'aria-label': `Content of ${key || 'new file'}`,
  });
  const show = h('button', { type: 'button', class: 'small', 'aria-pressed': 'false' }, 'Show');
  show.addEventListener('click', () => {
    content.hidden = !content.hidden;
    show.textContent = content.hidden ? 'Show' : 'Hide';
    show.setAttribute('aria-pressed', String(!content.hidden));
    if (!content.hidden) content.focus();
  });
  const binary = !withheld && text === null;
  const valueCell = withheld || binary
    ? h('span', { class: 'muted' },
      withheld ? 'withheld: this token may not read it' : `binary, ${Math.floor((stored.data.length * 3) / 4)} bytes, kept as stored`)
    : h('div', { class: 'value-cell' }, h('span', { class: 'masked' }, MASK), show, content);
  const element = h('tr', { class: 'key-row' }, cell, h('td', { 'data-label': 'Content' }, valueCell), removeCell(key || 'new file'));
  if (key === '') { content.hidden = false; show.textContent = 'Hide'; }
  return {
    element, key: input, withheld,
    text: () => (withheld || binary ? stored.data : content.value),
    setText: (value) => { content.value = value; },
    stored: () => (withheld || binary || content.value === original ? stored : encodeFile(content.value, stored.encoding)),
  };
}
