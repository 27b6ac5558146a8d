// The console's shell: routes `#/...` addresses to pages, keeps the header in step with the session, and sends a
// signed-out reader to the sign-in page. Addresses are fragments so the server has only `/` and `/console/*` to
// serve, and so no id, filter or value ever reaches a server log through a URL path.

import { session } from './api.js';
import { h, hasUnsavedWork, mayLeave, replace } from './dom.js';
import * as audit from './page-audit.js';
import * as editor from './page-editor.js';
import * as group from './page-group.js';
import * as groups from './page-groups.js';
import * as history from './page-history.js';
import * as projects from './page-projects.js';
import * as signin from './page-signin.js';
import * as tokens from './page-tokens.js';
import * as workloads from './page-workloads.js';

/** The address of the page on screen, to go back to when the reader chooses to stay with unsaved work. */
let shownHash = location.hash;

/** Each route: a pattern over the fragment, the page that renders it, and the names of its captured parts. */
const ROUTES = [
  [/^\/signin$/, signin.render, []],
  [/^\/projects$/, projects.render, []],
  [/^\/projects\/([^/]+)$/, groups.render, ['projectId']],
  [/^\/projects\/([^/]+)\/new$/, editor.renderCreate, ['projectId']],
  [/^\/projects\/([^/]+)\/groups\/([^/]+)$/, group.render, ['projectId', 'groupId']],
  [/^\/projects\/([^/]+)\/groups\/([^/]+)\/edit$/, editor.renderEdit, ['projectId', 'groupId']],
  [/^\/projects\/([^/]+)\/groups\/([^/]+)\/history$/, history.render, ['projectId', 'groupId']],
  [/^\/projects\/([^/]+)\/workloads$/, workloads.renderList, ['projectId']],
  [/^\/projects\/([^/]+)\/(services|jobs)\/([^/]+)$/, workloads.renderWorkload, ['projectId', 'kind', 'workloadId']],
  [/^\/projects\/([^/]+)\/audit$/, audit.render, ['projectId']],
  [/^\/tokens$/, tokens.render, []],
];

/** The page and its parameters for a fragment such as `#/projects/demo/groups/db`, or null. */
function resolve(fragment) {
  const path = fragment.replace(/^#/, '') || '/projects';
  for (const [pattern, render, names] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return { render, params: Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])])) };
  }
  return null;
}

/** Renders the page the address names into a fresh container, then moves focus to its heading. */
async function route() {
  shownHash = location.hash;
  const main = document.getElementById('main');
  if (!session.token && location.hash !== '#/signin') {
    if (location.hash && location.hash !== '#/') sessionStorage.setItem('coffer.returnTo', location.hash);
    location.replace('#/signin');
    return;
  }
  updateHeader();
  const target = resolve(location.hash);
  // Each navigation writes into its own container; a slow page that finishes after the reader moved on writes
  // into a detached node and shows nothing.
  const page = h('div', { class: 'page' });
  replace(main, page);
  if (!target) {
    replace(page, h('h1', {}, 'Not found'),
      h('p', {}, 'The console has no page at this address. ', h('a', { href: '#/projects' }, 'Go to projects')));
    return;
  }
  await target.render(page, target.params);
  if (page.isConnected) (page.querySelector('[autofocus]') ?? page.querySelector('h1') ?? main).focus({ preventScroll: true });
}

/** Shows the main navigation only when signed in, Tokens only to a token that may manage tokens. */
function updateHeader() {
  const signedIn = Boolean(session.token);
  document.getElementById('top-nav').hidden = !signedIn;
  document.getElementById('nav-tokens').hidden = !session.managesTokens;
  for (const link of document.querySelectorAll('.top-nav a')) {
    const current = location.hash.startsWith(link.getAttribute('href'));
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

function signOut(message) {
  session.signOut();
  if (message) sessionStorage.setItem('coffer.signedOutBecause', message);
  if (location.hash === '#/signin') route(); else location.assign('#/signin');
}

// The skip link moves focus to the content and leaves the address alone (`#main` as an address would be a route).
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});
// Signing out of a page with unsaved work asks first, once. (A token that stopped working signs out without asking;
// the question then comes on the way to the sign-in page, and staying keeps what was typed on screen.)
document.getElementById('sign-out').addEventListener('click', () => { if (mayLeave()) signOut(); });
// The token stopped working (revoked, expired): back to sign-in, saying why in the API's words.
window.addEventListener('coffer:unauthorized', (event) => signOut(event.detail.message));
// Another address: a page with unsaved work (the editor) asks first; staying puts its address back without a reload.
window.addEventListener('hashchange', () => {
  if (location.hash !== shownHash && !mayLeave()) window.history.replaceState(null, '', shownHash);
  else route();
});
// Reloading or closing the tab with unsaved work: the browser's own question.
window.addEventListener('beforeunload', (event) => { if (hasUnsavedWork()) event.preventDefault(); });
route();
