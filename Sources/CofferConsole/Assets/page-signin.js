// Signing in: the token is tried against the API (listing projects) before it is kept, so a wrong or revoked token
// is refused here with the API's own message rather than on the first page after.

import { ApiError, get, session } from './api.js';
import { field, h, heading, replace } from './dom.js';

export async function render(page) {
  const why = sessionStorage.getItem('coffer.signedOutBecause');
  sessionStorage.removeItem('coffer.signedOutBecause');
  const input = h('input', {
    type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true, autofocus: true, 'aria-describedby': 'token-error',
  });
  const error = h('p', { class: 'field-error', id: 'token-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'signin', novalidate: true },
    field('API token', input, {
      hint: 'A Coffer token, as printed by `coffer serve` on first start or made with `coffer token create`. '
        + 'It is kept in this tab only and sent to this server only.',
    }),
    error, h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return refuse(input, error, 'Enter a token.');
    submit.disabled = true;
    try {
      await get('/v1/projects', { token, query: { per_page: 1 } });
      session.signIn(token, await managesTokens(token));
      input.value = '';
      const returnTo = sessionStorage.getItem('coffer.returnTo');
      sessionStorage.removeItem('coffer.returnTo');
      location.assign(returnTo && returnTo !== '#/signin' ? returnTo : '#/projects');
    } catch (failure) {
      refuse(input, error, failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      submit.disabled = false;
    }
  });
  replace(page, heading('Sign in'),
    why ? h('div', { class: 'alert', role: 'alert' }, h('p', {}, 'You were signed out: ', why)) : null,
    h('p', { class: 'muted' },
      'The console can do exactly what its token can: every page reads and writes through the same /v1 API as the CLI and the SDKs.'),
    form);
}

/** Whether the token may manage tokens: the console asks the API rather than knowing any role's permissions. */
async function managesTokens(token) {
  try {
    await get('/v1/tokens', { token });
    return true;
  } catch {
    return false;
  }
}

function refuse(input, error, message) {
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}
