// Dialogs on the native <dialog>: showModal() makes the rest of the page inert (focus stays inside), Escape closes
// it, and on closing we hand focus back to whatever opened it so a keyboard user carries on where they were.

import { h, uniqueId } from './dom.js';

/**
 * Opens a modal dialog titled `title` around `content` with `actions` (buttons) at its foot; answers the close
 * function. The dialog removes itself from the page when closed, taking anything secret it showed with it.
 */
export function openDialog({ title, content, actions = [], onClose, initialFocus }) {
  const opener = document.activeElement;
  const heading = h('h2', { id: uniqueId('dialog-title') }, title);
  const dialog = h('dialog', { 'aria-labelledby': heading.id }, heading, content, h('div', { class: 'dialog-actions' }, actions));
  const close = () => { if (dialog.open) dialog.close(); };
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose?.();
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  (initialFocus ?? dialog.querySelector('input, textarea, select, button.primary, button'))?.focus();
  return close;
}

/**
 * Asks to confirm something that cannot be taken back; answers true when confirmed. With `typeToConfirm` the
 * confirm button stays disabled until that exact text is typed (deleting a group: its id).
 */
export function confirmDialog({ title, message, confirmLabel, danger = true, typeToConfirm }) {
  return new Promise((resolve) => {
    let confirmed = false;
    const confirm = h('button', { type: 'button', class: danger ? 'danger' : 'primary', disabled: Boolean(typeToConfirm) }, confirmLabel);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const parts = [h('p', {}, message)];
    let input;
    if (typeToConfirm) {
      input = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', id: uniqueId('confirm') });
      input.addEventListener('input', () => { confirm.disabled = input.value !== typeToConfirm; });
      input.addEventListener('keydown', (event) => { if (event.key === 'Enter' && !confirm.disabled) confirm.click(); });
      parts.push(h('div', { class: 'field' }, h('label', { for: input.id }, 'Type ', h('code', {}, typeToConfirm), ' to confirm'), input));
    }
    const close = openDialog({
      title, content: h('div', {}, parts), actions: [cancel, confirm], initialFocus: input ?? cancel,
      onClose: () => resolve(confirmed),
    });
    cancel.addEventListener('click', close);
    confirm.addEventListener('click', () => { confirmed = true; close(); });
  });
}
