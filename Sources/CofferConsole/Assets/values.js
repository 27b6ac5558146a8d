// Secret values on screen. A value is held in memory, not in the page: its cell shows a fixed mask (which says
// nothing of its length) until its own Reveal button puts that one value into the DOM, and Hide takes it out again.
// Copy writes the value to the clipboard without ever showing it. Values are hidden again when the tab is hidden.

import { announce, h, uniqueId } from './dom.js';

/** What a hidden value shows, whatever its length. */
export const MASK = '••••••••';

/** Whether the API withheld a value (the token may not read values of its group's type): null, or a file whose `data` is. */
export function isWithheld(value, isFile = false) {
  return value === null || value === undefined || (isFile && (value.data === null || value.data === undefined));
}

/** The text of a file value (`{data: base64, encoding}`): decoded when it is text, else its base64 as stored. */
function fileText(file) {
  if (isWithheld(file, true)) return null;
  return decodeFile(file) ?? file.data;
}

const DECODERS = { 'utf-8': 'utf-8', ascii: 'utf-8', latin1: 'latin1', utf16le: 'utf-16le' };

/** A file's bytes as text in its encoding, or null when it is binary (or not valid in the encoding it names). */
export function decodeFile(file) {
  const decoder = DECODERS[file.encoding ?? 'utf-8'];
  if (!decoder) return null;
  try {
    const bytes = Uint8Array.from(atob(file.data), (character) => character.charCodeAt(0));
    return new TextDecoder(decoder, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Text back into a file value: its bytes in `encoding` (UTF-8 when latin1 cannot hold it), base64-encoded. */
export function encodeFile(text, encoding = 'utf-8') {
  let bytes;
  if (encoding === 'utf16le') {
    bytes = new Uint8Array(text.length * 2);
    for (let index = 0; index < text.length; index += 1) {
      bytes[index * 2] = text.charCodeAt(index) & 0xff;
      bytes[index * 2 + 1] = text.charCodeAt(index) >> 8;
    }
  } else if (encoding === 'latin1' && [...text].every((character) => character.charCodeAt(0) < 256)) {
    bytes = Uint8Array.from(text, (character) => character.charCodeAt(0));
  } else {
    bytes = new TextEncoder().encode(text);
    encoding = encoding === 'ascii' && /^[\x00-\x7f]*$/.test(text) ? 'ascii' : 'utf-8';
  }
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return { data: btoa(binary), encoding };
}

/**
 * The values of one page. `add` keeps a value and answers its cells; one click listener on `root` (delegation, so a
 * table of a thousand keys costs one listener) handles every Reveal, Hide and Copy.
 */
export function createVault(root) {
  const values = new Map();
  // Ids unique to this vault: a page rendered again over the same root gets a new vault, and the old one's listener
  // must not answer the new buttons.
  const prefix = uniqueId('vault');
  root.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-vault]');
    if (!button || !root.contains(button)) return;
    const entry = values.get(button.dataset.id);
    if (!entry) return;
    if (button.dataset.vault === 'toggle') toggle(entry, button);
    else copy(entry);
  });
  const hideAll = () => {
    for (const entry of values.values()) if (entry.shown) toggle(entry, entry.toggleButton);
  };
  // Hidden again when the tab is hidden (screen sharing, a walk away). The listener goes with the page it served.
  const onVisibility = () => {
    if (!root.isConnected) document.removeEventListener('visibilitychange', onVisibility);
    else if (document.hidden) hideAll();
  };
  document.addEventListener('visibilitychange', onVisibility);

  return {
    /**
     * Keeps `value` (a string, or a file with `isFile`) for `label`; answers its two cells, the value's and its
     * buttons' (`td`s, or the elements `as` names). A withheld value (`isWithheld`) gets a note and no buttons.
     */
    add(label, value, { isFile = false, as = 'td' } = {}) {
      const id = `${prefix}-${values.size}`;
      if (isWithheld(value, isFile)) {
        const valueCell = h(as, { class: 'value-cell', 'data-label': as === 'td' ? 'Value' : undefined },
          h('span', { class: 'muted' }, 'withheld: this token may not read values of this type'));
        values.set(id, { label, value: null });
        return [valueCell, h(as, { class: 'actions' })];
      }
      // Cloned from one prepared pair of cells: a table of a thousand values costs a thousand clones, not seven
      // thousand elements built and attributed one by one.
      const [valueCell, actions] = maskedCells(as).map((node) => node.cloneNode(true));
      const mask = valueCell.firstChild;
      mask.setAttribute('aria-label', `${label}: hidden`);
      const [toggleButton, copyButton] = actions.children;
      toggleButton.setAttribute('aria-label', `Reveal ${label}`);
      toggleButton.dataset.id = id;
      copyButton.setAttribute('aria-label', `Copy ${label}`);
      copyButton.dataset.id = id;
      values.set(id, { label, value, isFile, cell: valueCell, mask, toggleButton, shown: false });
      return [valueCell, actions];
    },
  };
}

const prepared = new Map();

/** The value's cell (its mask) and the buttons' cell as `as` elements, built once per kind of element. */
function maskedCells(as) {
  if (!prepared.has(as)) {
    prepared.set(as, [
      h(as, { class: 'value-cell', 'data-label': as === 'td' ? 'Value' : undefined }, h('span', { class: 'masked' }, MASK)),
      h(as, { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-pressed': 'false', dataset: { vault: 'toggle' } }, 'Reveal'),
        h('button', { type: 'button', class: 'small', dataset: { vault: 'copy' } }, 'Copy')),
    ]);
  }
  return prepared.get(as);
}

/** Reveals or hides one value; the revealed node is created on reveal and dropped on hide. */
function toggle(entry, button) {
  if (!entry || entry.value === null) return;
  entry.shown = !entry.shown;
  if (entry.shown) {
    const text = entry.isFile ? fileText(entry.value) : entry.value;
    entry.cell.replaceChildren(h('code', { class: 'value' }, text === '' ? '(empty)' : text));
  } else {
    entry.cell.replaceChildren(entry.mask);
  }
  button.textContent = entry.shown ? 'Hide' : 'Reveal';
  button.setAttribute('aria-pressed', String(entry.shown));
  button.setAttribute('aria-label', `${entry.shown ? 'Hide' : 'Reveal'} ${entry.label}`);
}

/** Copies one value to the clipboard without showing it. The Clipboard API needs HTTPS (or localhost). */
async function copy(entry) {
  if (!entry || entry.value === null) return;
  if (!navigator.clipboard) {
    announce('Copying needs a secure connection (HTTPS); reveal the value instead.');
    return;
  }
  try {
    await navigator.clipboard.writeText(entry.isFile ? fileText(entry.value) : entry.value);
    announce(`Copied ${entry.label} to the clipboard.`);
  } catch {
    announce(`The browser refused to copy ${entry.label}.`);
  }
}
