// The web UI's files on a slow link: text is sent gzipped when the browser accepts it (the
// build's precompressed copy, never a stale one), every file carries an ETag, and a reload
// revalidates to 304 without the body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { makeDemo, startServer, cleanup, ROOT } from '../lib/server.mjs';

let demo, s;
// Raw bytes and headers (fetch would undo the gzip).
const raw = (path, headers = {}) => new Promise((resolve, reject) => {
  http.get({ host: '127.0.0.1', port: s.port, path, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
  }).on('error', reject);
});

before(async () => {
  execFileSync(`${ROOT}/scripts/compress-web`); // what `make build` does
  demo = makeDemo({ residents: 0, name: 'static' });
  s = await startServer(demo.db);
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('text files go gzipped to a browser that accepts it, byte for byte the file', async () => {
  for (const [url, file] of [['/js/app.js', 'web/js/app.js'], ['/js/i18n.js', 'web/js/i18n.js'], ['/css/app.css', 'web/css/app.css']]) {
    const original = readFileSync(`${ROOT}/${file}`);
    const gz = await raw(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(gz.status, 200, url);
    assert.equal(gz.headers['content-encoding'], 'gzip', url);
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.ok(gz.body.length < original.length * (original.length > 4000 ? 0.5 : 0.8), `${url}: ${gz.body.length} of ${original.length} bytes`);
    assert.deepEqual(gunzipSync(gz.body), original);
    const plain = await raw(url);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.body, original);
  }
});

test('a reload revalidates: the same ETag answers 304 with no body; another representation does not', async () => {
  const first = await raw('/js/app.js', { 'Accept-Encoding': 'gzip' });
  const etag = first.headers.etag;
  assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+-gz"$/);
  assert.equal(first.headers['cache-control'], 'no-cache');
  const again = await raw('/js/app.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, etag);
  // The identity representation has its own validator.
  const plain = await raw('/js/app.js', { 'If-None-Match': etag });
  assert.equal(plain.status, 200);
  assert.notEqual(plain.headers.etag, etag);
  assert.equal((await raw('/js/app.js', { 'If-None-Match': plain.headers.etag })).status, 304);
});

test('the page links its scripts and styles under a version, preloads the start-up modules and lists the views for the service worker; versioned files are cached for a year', async () => {
  const page = await raw('/', { 'Accept-Encoding': 'gzip' });
  assert.equal(page.status, 200);
  assert.equal(page.headers['cache-control'], 'no-cache');
  const html = page.body.toString();
  const [, version] = /src="\/v\/([0-9a-f]{16})\/js\/app\.js"/.exec(html) || [];
  assert.ok(version, html);
  assert.match(html, new RegExp(`href="/v/${version}/css/app.css"`));
  // The start-up graph (app.js's static imports, followed through) is preloaded: fetched at
  // once, not one import level per round trip. The views, imported when first shown, are not:
  // they are listed as rel="jiayi-shell" (ignored by browsers) for the service worker to keep.
  const preloads = [...html.matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
  const shell = [...html.matchAll(/rel="jiayi-shell" href="([^"]+)"/g)].map((m) => m[1]);
  for (const f of ['app.js', 'api.js', 'dom.js', 'i18n.js', 'i18n-programs.js', 'session.js', 'offline.js'])
    assert.ok(preloads.includes(`/v/${version}/js/${f}`), `${f} preloaded: ${preloads.join(' ')}`);
  assert.ok(!preloads.some((u) => u.includes('/views/')), preloads.join(' '));
  assert.ok(shell.includes(`/v/${version}/js/views/residents.js`) && shell.includes(`/v/${version}/js/views/worklist.js`), shell.join(' '));
  assert.equal(new Set([...preloads, ...shell]).size, preloads.length + shell.length);
  // The page revalidates to 304; the versioned files need no revalidation at all.
  assert.equal((await raw('/', { 'If-None-Match': page.headers.etag })).status, 304);
  const app = await raw(`/v/${version}/js/app.js`, { 'Accept-Encoding': 'gzip' });
  assert.equal(app.status, 200);
  assert.equal(app.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.deepEqual(gunzipSync(app.body), readFileSync(`${ROOT}/web/js/app.js`));
  // A module's relative import resolves under the same version (the browser does this).
  assert.equal(new URL('./api.js', `http://x/v/${version}/js/app.js`).pathname, `/v/${version}/js/api.js`);
  // An old version's URL still gets the file, but is not kept.
  const old = await raw('/v/0000000000000000/js/app.js');
  assert.equal(old.status, 200);
  assert.equal(old.headers['cache-control'], 'no-cache');
  assert.equal((await raw(`/v/${version}/../../../etc/hostname.txt`)).status, 404);
});

test('the chart library from npm is cached for a year and sent gzipped too', async () => {
  const r = await raw('/vendor/echarts.min.js', { 'Accept-Encoding': 'gzip' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.match(r.headers['cache-control'], /max-age=31536000/);
  assert.ok(r.body.length < statSync(`${ROOT}/node_modules/echarts/dist/echarts.min.js`).size / 2);
});

test('the service worker, the manifest and the icons are served from the root for the PWA', async () => {
  const sw = await raw('/sw.js');
  assert.equal(sw.status, 200);
  assert.match(sw.headers['content-type'], /^text\/javascript/);
  assert.equal(sw.headers['cache-control'], 'no-cache'); // a new worker is found at the next visit
  const manifest = await raw('/manifest.webmanifest');
  assert.equal(manifest.status, 200);
  assert.equal(manifest.headers['content-type'], 'application/manifest+json');
  const m = JSON.parse(manifest.body.toString());
  assert.equal(m.name, '家医');
  assert.equal(m.start_url, '/#/');
  for (const icon of m.icons) {
    const r = await raw(icon.src);
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers['content-type'], icon.type);
  }
  assert.ok(m.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png'));
});

test('JSON answers of a page or more go gzipped to a client that accepts it; small ones and other clients get them plain', async () => {
  const token = await s.login('admin');
  const auth = { Authorization: `Bearer ${token}` };
  const big = '/api/v1/institutions';
  const gz = await raw(big, { ...auth, 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary, /Accept-Encoding/);
  const plain = await raw(big, auth);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.length >= 1024, `the county's institutions (${plain.body.length} bytes)`);
  assert.ok(gz.body.length < plain.body.length / 3, `${gz.body.length} of ${plain.body.length} bytes`);
  assert.deepEqual(JSON.parse(gunzipSync(gz.body)), JSON.parse(plain.body));
  // A small answer is not worth a gzip header.
  const small = await raw('/api/v1/health', { 'Accept-Encoding': 'gzip' });
  assert.equal(small.status, 200);
  assert.equal(small.headers['content-encoding'], undefined);
  assert.ok(JSON.parse(small.body));
});

test('the UI is served with a strict policy: its own scripts only, never framed, no referrer; the API is never cached', async () => {
  for (const url of ['/', '/js/app.js', '/sw.js']) {
    const r = await raw(url);
    assert.equal(r.status, 200, url);
    const csp = Object.fromEntries(r.headers['content-security-policy'].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    assert.equal(csp['script-src'], "'self'", `${url}: no inline script, no eval`);
    assert.equal(csp['object-src'], "'none'");
    assert.equal(csp['frame-ancestors'], "'none'", `${url}: never framed`);
    assert.equal(csp['base-uri'], "'self'");
    assert.equal(csp['form-action'], "'self'");
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.match(r.headers['permissions-policy'], /camera=\(\)/);
  }
  // No script in the page itself: the policy needs no exception for one.
  const page = (await raw('/')).body.toString();
  assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script> in index.html');
  assert.doesNotMatch(page, /\son[a-z]+\s*=/i, 'no inline event handler in index.html');
  const api = await raw('/api/v1/health');
  assert.equal(api.headers['cache-control'], 'no-store');
  assert.equal(api.headers['x-content-type-options'], 'nosniff');
});
