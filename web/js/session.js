/* session.js - who is logged in. The cookie is the session; this keeps the user the
 * server reported (GET /session) and the CSRF token for writes. */
import { api, setCsrf } from './api.js';
import { setServerToday } from './format.js';

let currentUser = null;
let changeListener = null;

/* fn(user) after start-up, log-in and log-out (null): offline.js forgets the previous
 * user's cached reads. */
export function onChange(fn) {
  changeListener = fn;
}

function changed() {
  if (changeListener) Promise.resolve(changeListener(currentUser)).catch(() => {});
}

export function user() {
  return currentUser;
}

/* Asks the server who we are (cookie); null when not logged in. `fresh` bypasses the
 * service worker's kept answer (after logging in: a new CSRF token). */
export async function restore({ fresh = false } = {}) {
  try {
    const data = await api.get('/session', null, { quiet401: true, headers: fresh ? { 'Cache-Control': 'no-cache' } : undefined });
    currentUser = data.user;
    setCsrf(data.csrf_token);
    setServerToday(data.today);
  } catch (error) {
    if (error.status !== 401) throw error;
    currentUser = null;
    setCsrf(null);
  }
  changed();
  return currentUser;
}

export async function login(username, password) {
  const data = await api.post('/session', { username, password }, { quiet401: true });
  setCsrf(data.csrf_token);
  currentUser = data.user;
  /* The login answer has the bare user; the session read adds staff id, teams, resident id. */
  await restore({ fresh: true });
  return currentUser;
}

/* Logging in with a one-time code sent to the phone (POST /session {phone, code}); the
 * answer is the same as a password's. */
export async function loginWithCode(phone, code, username) {
  const body = { phone, code };
  if (username) body.username = username;
  const data = await api.post('/session', body, { quiet401: true });
  setCsrf(data.csrf_token);
  currentUser = data.user;
  await restore({ fresh: true });
  return currentUser;
}

export async function logout() {
  try {
    await api.del('/session', { quiet401: true });
  } finally {
    forget();
  }
}

export function forget() {
  currentUser = null;
  setCsrf(null);
  changed();
}
