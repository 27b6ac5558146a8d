// The one way the console talks to Coffer: the `/v1` JSON API with the signed-in token, like any other client. The
// token lives in this tab's sessionStorage only, so it is gone when the tab closes and never shared with other tabs.

const TOKEN_KEY = 'coffer.token';
const ADMIN_KEY = 'coffer.tokensManage';

/** The signed-in session of this tab. */
export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  /** Whether the token may manage tokens (probed at sign-in), so the Tokens page is offered only when it would work. */
  get managesTokens() { return sessionStorage.getItem(ADMIN_KEY) === 'yes'; },
  signIn(token, managesTokens) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ADMIN_KEY, managesTokens ? 'yes' : 'no');
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ADMIN_KEY);
  },
};

/** A non-2xx answer (or no answer): the API's status, message, request id and per-field `details`. */
export class ApiError extends Error {
  constructor(status, message, details = {}, requestId = '') {
    super(message);
    this.status = status;
    this.details = details;
    this.requestId = requestId;
  }
}

/**
 * Sends one request and answers `{data, pagination, etag}`; throws `ApiError` for anything but 2xx. `query` entries
 * that are empty are left out. Never cached by the browser (`no-store`): answers hold secret values, and the disk
 * cache is no place for them. A 401 with the session's own token ends the session (the token was revoked or expired).
 */
export async function request(method, path, { body, query, ifMatch, token = session.token } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch) headers['If-Match'] = ifMatch;
  let response;
  try {
    response = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', redirect: 'error',
    });
  } catch {
    throw new ApiError(0, 'The Coffer server could not be reached. Check your connection and try again.');
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    const error = payload?.error ?? {};
    const failure = new ApiError(response.status, error.message ?? `The server answered ${response.status}`, error.details ?? {}, error.id ?? '');
    if (response.status === 401 && token && token === session.token) {
      window.dispatchEvent(new CustomEvent('coffer:unauthorized', { detail: failure }));
    }
    throw failure;
  }
  return { data: payload?.data ?? {}, pagination: payload?.pagination, etag: response.headers.get('ETag') };
}

export const get = (path, options) => request('GET', path, options);

/** Every item of a paged list, following `cursor` while the server gives one. */
export async function listAll(path, member, query = {}) {
  const items = [];
  let cursor;
  do {
    const { data, pagination } = await get(path, { query: { ...query, per_page: 100, cursor } });
    items.push(...(data[member] ?? []));
    cursor = pagination?.hasNextPage ? pagination.cursor : undefined;
  } while (cursor);
  return items;
}

/** `/v1/projects/{p}/...` with every segment escaped. */
export function projectPath(projectId, ...segments) {
  return ['/v1/projects', projectId, ...segments].map((part, index) => (index === 0 ? part : encodeURIComponent(part))).join('/');
}

/** `/v1/projects/{p}/secrets/{id}/...`. */
export function groupPath(projectId, groupId, ...segments) {
  return projectPath(projectId, 'secrets', groupId, ...segments);
}
