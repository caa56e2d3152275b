/* sw.js - the service worker: the app shell offline, and the logged-in user's reads.
 *
 * Shell: index.html names every script of this version of the UI under /v/<version>/ (start-up
 * modules as modulepreload, the views as rel="jiayi-shell", src/http/static.c). Installing
 * copies them all into a cache named after the version; those URLs never change content, so
 * they are answered from the cache first. The page itself (any navigation) is answered from
 * the cache at once and refreshed behind: a reload on a slow link paints without waiting for
 * the network, and a new version is fetched in the background and used from the next load.
 *
 * Data: the reads a village doctor needs away from the network - who is logged in
 * (GET /api/v1/session), the work list, and the residents' records opened (GET
 * /api/v1/residents/{id} and below, households; a resident's consultation threads, the points
 * catalogue and the questionnaires) - go to the network first and are kept; when
 * the network fails, the kept answer is returned (marked X-Jiayi-Offline: 1); the session
 * read at start-up is answered from the cache at once and refreshed behind (sessionRead). The page
 * deletes that cache at log-out and when another user logs in (web/js/offline.js); a 401
 * deletes it too. Writes are never touched here: the page queues them (offline.js). */
const SHELL_PREFIX = 'jiayi-shell-';
const DATA_CACHE = 'jiayi-data';
const STATIC_CACHE = 'jiayi-static';
const STATIC_FILES = ['/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png'];
const DATA_PATHS = [/^\/api\/v1\/session$/, /^\/api\/v1\/worklist$/, /^\/api\/v1\/residents\/\d+(\/[a-z/-]+)?$/, /^\/api\/v1\/households\/\d+$/,
  /* the resident's portal (issue 16): a consultation's thread, the points catalogue, the questionnaires */
  /^\/api\/v1\/consultations\/\d+$/, /^\/api\/v1\/points\/catalogue$/, /^\/api\/v1\/questionnaires$/];

/* The version and the shell's URLs named by an index.html. */
function shellOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/(?:href|src)="(\/v\/([0-9a-f]+)\/[^"]+)"/g)) urls.add(m[1]);
  const version = (/\/v\/([0-9a-f]+)\//.exec(html) || [])[1] || 'none';
  return { version, urls: [...urls] };
}

/* Copies the shell of `html` (already fetched) into its version's cache, then drops older
 * shells. Files already cached under this version are not fetched again. */
async function keepShell(html) {
  const { version, urls } = shellOf(html);
  const cache = await caches.open(SHELL_PREFIX + version);
  await cache.put('/', new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
  for (const url of urls) {
    if (!(await cache.match(url))) {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (response.ok) await cache.put(url, response);
    }
  }
  const statics = await caches.open(STATIC_CACHE);
  await Promise.all(STATIC_FILES.map((url) => statics.add(url).catch(() => {})));
  for (const name of await caches.keys())
    if (name.startsWith(SHELL_PREFIX) && name !== SHELL_PREFIX + version) await caches.delete(name);
}

async function freshIndex() {
  const response = await fetch('/', { credentials: 'same-origin', cache: 'no-cache' });
  if (!response.ok) throw new Error('index ' + response.status);
  return response.text();
}

self.addEventListener('install', (event) => {
  event.waitUntil(freshIndex().then(keepShell).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/* The newest shell's page. */
async function cachedIndex() {
  const names = (await caches.keys()).filter((n) => n.startsWith(SHELL_PREFIX));
  for (const name of names) {
    const hit = await (await caches.open(name)).match('/');
    if (hit) return hit;
  }
  return null;
}

let refreshing = null;
/* Fetches index.html behind the cached answer; a new version's shell is copied in. */
function refreshShell() {
  if (!refreshing) {
    refreshing = freshIndex().then(keepShell).catch(() => {}).finally(() => { refreshing = null; });
  }
  return refreshing;
}

/* The shell's freshness check waits until the screen has asked for its data: on a slow link
 * the browser's few connections go to what the user waits for first. */
const SHELL_CHECK_DELAY_MS = 3000;

async function navigate(event) {
  const hit = await cachedIndex();
  if (hit) {
    event.waitUntil(new Promise((done) => setTimeout(done, SHELL_CHECK_DELAY_MS)).then(refreshShell));
    return hit;
  }
  return fetch(event.request);
}

/* A /v/<version>/ file: from its version's cache (one lookup, not a walk of every cache). */
async function cacheFirst(request) {
  const version = new URL(request.url).pathname.split('/')[2];
  const cache = await caches.open(SHELL_PREFIX + version);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

function offlineCopy(hit) {
  const headers = new Headers(hit.headers);
  headers.set('X-Jiayi-Offline', '1');
  return hit.blob().then((body) => new Response(body, { status: hit.status, statusText: hit.statusText, headers }));
}

/* Who is logged in, at start-up: the kept answer at once (a reload paints one round trip
 * sooner on a slow link), refreshed behind. Every API call still checks the session itself:
 * an expired one answers 401 and the page goes to the log-in. The page asks for a fresh
 * answer (Cache-Control: no-cache) right after logging in. */
async function sessionRead(event) {
  const request = event.request;
  if (request.headers.get('Cache-Control') === 'no-cache') return networkFirst(request);
  const cache = await caches.open(DATA_CACHE);
  const hit = await cache.match(request);
  if (!hit) return networkFirst(request);
  event.waitUntil(networkFirst(request).catch(() => {}));
  return hit;
}

async function networkFirst(request, event) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    /* The page gets the answer at once; the copy is written beside it. */
    if (response.ok) {
      const kept = cache.put(request, response.clone());
      if (event) event.waitUntil(kept);
      else await kept;
    }
    else if (response.status === 401) await caches.delete(DATA_CACHE);
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return offlineCopy(hit);
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) {
    event.respondWith(navigate(event));
  } else if (url.pathname.startsWith('/v/')) {
    event.respondWith(cacheFirst(request));
  } else if (STATIC_FILES.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (url.pathname === '/api/v1/session') {
    event.respondWith(sessionRead(event));
  } else if (DATA_PATHS.some((re) => re.test(url.pathname))) {
    event.respondWith(networkFirst(request, event));
  }
});
