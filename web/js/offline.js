/* offline.js - working without a network (issue 14): the service worker, the queue of writes
 * recorded offline, and its sync.
 *
 * The service worker (/sw.js) keeps the app shell and, for the logged-in user, the answers of
 * the reads a village doctor needs away from the network (the session, the work list, the
 * records of the residents opened). Follow-ups, census visits and flags go through submit():
 * online they are sent at once; offline, or when the request fails on the network, they are
 * queued in IndexedDB, each with its own Idempotency-Key (the queue item's key), and sent when
 * the link returns (the online event, start-up, log-in, or the user's "sync now"); a sync the
 * network or a busy server cut short is tried again by itself, after 2 s, then 4, 8 ... up to
 * a minute (a link that comes back fires "online" once, often before it carries). The server
 * honours the key, so an answer lost on the way never makes a second record. A write the
 * server refuses (409 task_closed when a colleague closed the task meanwhile, 422, 403, 404)
 * becomes a conflict: kept, listed at #/offline with the server's reason, never dropped
 * silently. Queued items belong to the user who recorded them and are sent only with that
 * user's session. At log-out the cached reads are deleted; the queue stays for its author. */
import { ApiError, request } from './api.js';
import { h, icon } from './dom.js';
import { t } from './i18n.js';

const DB_NAME = 'jiayi-offline';
const STORE = 'queue';
const DATA_CACHE = 'jiayi-data';
const PEOPLE_KEY = 'jiayi.offline.people';

let currentUser = null;
let items = []; /* this user's queue, oldest first (a copy of the store) */
let syncing = false;
let retryDelay = 0; /* ms before the next automatic try after a cut-short sync; 0 after a whole one */
let retryTimer = null;
const listeners = new Set();

/* ---- IndexedDB ------------------------------------------------------------------------ */

let dbPromise = null;
function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbPromise;
}

async function tx(mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const result = fn(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
    transaction.onerror = () => reject(transaction.error);
  });
}

const put = (item) => tx('readwrite', (s) => s.put(item));
const remove = (key) => tx('readwrite', (s) => s.delete(key));

async function load() {
  if (!currentUser) {
    items = [];
  } else {
    const all = (await tx('readonly', (s) => s.getAll())) || [];
    items = all.filter((x) => x.user === currentUser.username).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
  changed();
}

function changed() {
  for (const fn of listeners) fn(items);
}

/* Calls fn(items) now and on every change of the queue; returns the unsubscribe. */
export function subscribe(fn) {
  listeners.add(fn);
  fn(items);
  return () => listeners.delete(fn);
}

export const queued = () => items;
export const pendingCount = () => items.filter((x) => x.status !== 'conflict').length;
export const conflictCount = () => items.filter((x) => x.status === 'conflict').length;
/* The queued follow-up of a task, if any (the work list marks its row). */
export const queuedForTask = (taskId) => items.find((x) => x.task_id === taskId);

/* ---- Writes ----------------------------------------------------------------------------- */

const isNetworkError = (error) => error instanceof ApiError && error.status === 0;

/* Sends a write, or queues it when offline or the network fails. `what` describes it for the
 * list ({kind, resident_name, program, task_id}). Resolves to the server's answer, or to
 * {queued: true, key} when queued; a refusal by the server throws its ApiError as usual. */
export async function submit(path, body, what = {}) {
  const key = crypto.randomUUID();
  if (navigator.onLine !== false) {
    try {
      return await request('POST', path, { body, headers: { 'Idempotency-Key': key } });
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      /* lost on the way: queued with the same key, so a write that did arrive is not repeated */
    }
  }
  const item = {
    key, path, body, user: currentUser ? currentUser.username : '', created_at: new Date().toISOString(),
    status: 'pending', kind: what.kind || path, resident_name: what.resident_name || null,
    program: what.program || null, task_id: what.task_id || null, visit_date: body.visit_date || null,
  };
  await put(item);
  await load();
  return { queued: true, key };
}

/* Sends the user's pending items, oldest first. Stops at the first network failure (still
 * offline) or 401 (log in again); a refusal marks the item a conflict and goes on. */
export async function sync() {
  if (syncing || !currentUser || navigator.onLine === false) return;
  syncing = true;
  let cutShort = false;
  try {
    for (const item of items.filter((x) => x.status === 'pending')) {
      item.status = 'syncing';
      changed();
      try {
        await request('POST', item.path, { body: item.body, headers: { 'Idempotency-Key': item.key }, quiet401: true });
        await remove(item.key);
      } catch (error) {
        if (isNetworkError(error) || error.status === 401 || error.status >= 500 || error.status === 429) {
          item.status = 'pending';
          changed();
          cutShort = error.status !== 401; /* after a 401, logging in again syncs */
          break;
        }
        item.status = 'conflict';
        item.error = { status: error.status, code: error.code, field: error.field, detail: error.detail };
        await put(item);
      }
    }
  } finally {
    syncing = false;
    await load();
  }
  if (cutShort) retryLater();
  else retryDelay = 0;
}

function retryLater() {
  if (retryTimer) return;
  retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 60000);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (pendingCount()) sync();
  }, retryDelay);
}

/* A conflict the user gives up (after reading it). */
export async function discard(key) {
  await remove(key);
  await load();
}

/* A conflict the user wants recorded anyway: a new request (a new key), without the task it
 * named (the task is closed; the visit still happened). */
export async function resend(key) {
  const item = items.find((x) => x.key === key);
  if (!item) return;
  const body = { ...item.body };
  delete body.task_id;
  await remove(key);
  await put({ ...item, key: crypto.randomUUID(), body, task_id: null, status: 'pending', error: null });
  await load();
  await sync();
}

/* ---- Who is logged in, and their cached reads ------------------------------------------- */

async function clearReadCaches() {
  try {
    sessionStorage.removeItem(PEOPLE_KEY);
    sessionStorage.removeItem(PEOPLE_KEY + '.list');
  } catch {
    /* storage disabled */
  }
  if (typeof caches !== 'undefined') await caches.delete(DATA_CACHE).catch(() => {});
}

/* Called by session.js with the user after start-up, log-in and log-out (null). A new user
 * (or nobody) never sees the previous one's cached reads. */
export async function setUser(user) {
  const previous = currentUser ? currentUser.username : null;
  currentUser = user;
  if (!user || (previous && previous !== user.username)) await clearReadCaches();
  await load().catch(() => {});
  if (user) sync();
}

/* A staff screen remembers the people it listed (name, sex, age) for this tab, so the
 * follow-up form can open offline for someone whose record was never opened. */
export function rememberPeople(rows) {
  try {
    const people = JSON.parse(sessionStorage.getItem(PEOPLE_KEY) || '{}');
    for (const r of rows) people[r.resident_id] = { id: r.resident_id, name: r.resident_name, sex: r.sex, age: r.age };
    sessionStorage.setItem(PEOPLE_KEY, JSON.stringify(people));
  } catch {
    /* a nicety */
  }
}

/* The work list's address as last shown (tab, filters): the follow-up form returns to it, and
 * offline only that exact list is kept. */
export function rememberWorklist(hash) {
  try {
    sessionStorage.setItem(PEOPLE_KEY + '.list', hash);
  } catch {
    /* a nicety */
  }
}

export function lastWorklist() {
  try {
    return sessionStorage.getItem(PEOPLE_KEY + '.list') || '#/worklist';
  } catch {
    return '#/worklist';
  }
}

export function rememberedPerson(id) {
  try {
    return JSON.parse(sessionStorage.getItem(PEOPLE_KEY) || '{}')[id] || null;
  } catch {
    return null;
  }
}

export { isNetworkError };

/* ---- Start-up and the header badge ------------------------------------------------------ */

export function start() {
  window.addEventListener('online', () => sync());
  window.addEventListener('offline', () => changed());
  if ('serviceWorker' in navigator) {
    /* After the page has loaded: the shell's copy never competes with the first paint. */
    const register = () => navigator.serviceWorker.register('/sw.js').catch(() => {});
    /* Once the worker controls the page, one session read through it leaves the kept copy
     * that the next start answers from (one round trip less on a slow link). */
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      fetch('/api/v1/session', { credentials: 'same-origin' }).catch(() => {});
    }, { once: true });
    if (document.readyState === 'complete') setTimeout(register, 1000);
    else window.addEventListener('load', () => setTimeout(register, 1000), { once: true });
  }
}

/* The header's 待同步 badge: offline state, the pending count and the conflicts. Hidden
 * when online with nothing queued. */
export function badge() {
  const text = h('span', { class: 'sync-text', 'data-testid': 'sync-count' });
  const el = h('a', { href: '#/offline', class: 'sync-badge', 'data-testid': 'sync-badge', hidden: true }, icon('renew', 'icon sync-icon'), text);
  const update = () => {
    const pending = pendingCount();
    const conflicts = conflictCount();
    const offline = navigator.onLine === false;
    el.hidden = !offline && !pending && !conflicts;
    el.className = `sync-badge${conflicts ? ' sync-conflict' : ''}${offline ? ' sync-offline' : ''}`;
    el.dataset.pending = String(pending);
    el.dataset.conflicts = String(conflicts);
    const parts = [];
    if (offline) parts.push(t('offline.offline'));
    if (pending || !conflicts) parts.push(t('offline.pending', { n: pending }));
    if (conflicts) parts.push(t('offline.conflicts', { n: conflicts }));
    text.textContent = parts.join(' · ');
    el.title = t('offline.badge_title');
  };
  const unsubscribe = subscribe(update);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  /* Once the header is replaced, stop listening. */
  const observer = new MutationObserver(() => {
    if (!el.isConnected) {
      unsubscribe();
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
      observer.disconnect();
    }
  });
  queueMicrotask(() => observer.observe(document.body, { childList: true, subtree: true }));
  return el;
}
