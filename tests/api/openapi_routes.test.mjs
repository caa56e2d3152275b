// openapi_routes.test.mjs - docs/openapi.yaml documents every route the server has.
//
// Compares the route table printed by `jiayi routes` (method, path, policy action, roles)
// with docs/openapi.yaml read as text, so a new route without documentation, a documented
// route the server no longer has, or a changed role policy fails the tests.
//
// The YAML "parser" is deliberately trivial and relies on the file's layout:
//   paths:                      top-level key
//     /api/v1/...:              a path, 2-space indent
//       get:                    a method, 4-space indent
//         x-action: region.read 6-space indent, inside the method
//         x-roles: [a, b, c]    6-space indent, inside the method
//
// Run: node --test tests/api/   (JIAYI_BIN overrides the binary, default build/jiayi)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = process.env.JIAYI_BIN || path.join(root, 'build/jiayi');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// `jiayi routes`: "METHOD  PATH  ACTION  ROLE ROLE ..." one route a line.
function serverRoutes() {
  let out;
  try {
    out = execFileSync(bin, ['routes'], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`cannot run '${bin} routes' (make build, or set JIAYI_BIN): ${e.message}`);
  }
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [method, routePath, action, ...roles] = line.split(/\s+/);
      return { key: `${method.toUpperCase()} ${routePath}`, action, roles: roles.sort() };
    });
}

// The operations under `paths:` in docs/openapi.yaml, keyed "METHOD /path".
function documentedOperations() {
  const text = readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8');
  const ops = new Map();
  let inPaths = false;
  let currentPath = null;
  let current = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line) && !line.startsWith('#')) {
      inPaths = /^paths:\s*$/.test(line);
      currentPath = null;
      current = null;
      continue;
    }
    if (!inPaths) continue;
    let m = /^ {2}['"]?(\/[^'"\s]*?)['"]?:\s*$/.exec(line);
    if (m) {
      currentPath = m[1];
      current = null;
      continue;
    }
    m = /^ {4}([a-z]+):\s*$/.exec(line);
    if (m) {
      current = null;
      if (currentPath && METHODS.includes(m[1])) {
        current = { action: null, roles: null };
        ops.set(`${m[1].toUpperCase()} ${currentPath}`, current);
      }
      continue;
    }
    if (!current) continue;
    m = /^ {6}x-action:\s*['"]?([^'"\s]+)['"]?\s*$/.exec(line);
    if (m) current.action = m[1];
    m = /^ {6}x-roles:\s*\[(.*)\]\s*$/.exec(line);
    if (m)
      current.roles = m[1]
        .split(',')
        .map((r) => r.trim().replace(/^['"]|['"]$/g, ''))
        .filter(Boolean)
        .sort();
  }
  return ops;
}

const routes = serverRoutes();
const documented = documentedOperations();

test('jiayi routes prints the route table', () => {
  assert.ok(routes.length > 0, 'no routes printed');
  // Everything lives under /api/ or /fhir/ but the scrapers' conventional /metrics.
  for (const r of routes) assert.match(r.key, /^[A-Z]+ (\/(api|fhir)\/|\/metrics$)/, `odd route line: ${r.key}`);
  assert.ok(documented.size > 0, 'no operations found under paths: in docs/openapi.yaml');
});

test('every route of the server is documented in docs/openapi.yaml', () => {
  const missing = routes.filter((r) => !documented.has(r.key)).map((r) => r.key);
  assert.deepEqual(missing, [], `routes missing from docs/openapi.yaml: ${missing.join(', ')}`);
});

test('docs/openapi.yaml documents no route the server lacks', () => {
  const known = new Set(routes.map((r) => r.key));
  const stale = [...documented.keys()].filter((k) => !known.has(k));
  assert.deepEqual(stale, [], `documented but not served: ${stale.join(', ')}`);
});

test('x-action of each operation is the policy action of its route', () => {
  const wrong = [];
  for (const r of routes) {
    const op = documented.get(r.key);
    if (op && op.action !== r.action) wrong.push(`${r.key}: x-action ${op.action}, server ${r.action}`);
  }
  assert.deepEqual(wrong, []);
});

test('x-roles of each operation are the roles the policy allows', () => {
  const wrong = [];
  for (const r of routes) {
    const op = documented.get(r.key);
    if (op && JSON.stringify(op.roles) !== JSON.stringify(r.roles))
      wrong.push(`${r.key}: x-roles [${op.roles ?? ''}], server [${r.roles}]`);
  }
  assert.deepEqual(wrong, []);
});
