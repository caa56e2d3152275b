// layers.mjs - the one-way flow of DESIGN.md, enforced (issue 20): every `#include "x/..."`
// in src/ must follow an allowed edge of LAYERS below, domain/ stays pure (no library that
// does I/O or speaks JSON), no SQL is prepared above the layers that own it (api/ and
// http/ call store/, kpi/ or auth/ for data), and tests/unit mirrors domain/ file for file
// (domain/x.c is tested by tests/unit/test_x.c). docs/architecture.md draws the table.
//
// Run from the repository root:  node tests/lint/layers.mjs   (exit 1 and a list on a breach)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each layer and the layers it may include (besides itself). Read it bottom-up: util and the
// pure rules at the bottom, the request's wire (http) under the access checks (auth) that
// judge it, api over everything it orchestrates, the demo generator and main() on top.
export const LAYERS = {
  util: [],
  domain: ['util'],
  json: ['util'],
  db: ['util'],
  render: ['util'],
  store: ['util', 'json', 'domain', 'db'],
  kpi: ['util', 'json', 'domain', 'db', 'store'],
  http: ['util', 'json', 'domain', 'db'],
  auth: ['util', 'json', 'domain', 'db', 'store', 'http'],
  api: ['util', 'json', 'domain', 'db', 'store', 'kpi', 'http', 'auth', 'render'],
  demo: ['util', 'json', 'domain', 'db', 'store', 'kpi', 'auth', 'api'],
  main: ['util', 'json', 'domain', 'db', 'store', 'kpi', 'http', 'auth', 'api', 'render', 'demo'],
};

// domain/ is the rules, pure: no JSON, no database, no network, no threads.
const DOMAIN_FORBIDDEN = ['jansson.h', 'sqlite3.h', 'libpq-fe.h', 'microhttpd.h', 'pthread.h', 'curl/curl.h', 'sodium.h'];
// SQL lives in db/, store/, kpi/, auth/ (sessions, audit) and the demo generator; a handler
// that needs data asks one of them.
const NO_SQL = ['api', 'http', 'domain', 'json', 'util', 'render'];

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.[ch]$/.test(entry.name)) out.push(path);
  }
  return out;
}

export function breaches(root = '.') {
  const found = [];
  for (const file of sources(join(root, 'src'))) {
    const rel = file.slice(join(root, 'src').length + 1);
    const layer = rel.includes('/') ? rel.split('/')[0] : 'main';
    const allowed = LAYERS[layer];
    if (!allowed) {
      found.push(`src/${rel}: layer "${layer}" is not in tests/lint/layers.mjs`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    text.split('\n').forEach((line, i) => {
      const where = `src/${rel}:${i + 1}`;
      const local = line.match(/^\s*#\s*include\s+"([^"/]+)\/[^"]+"/);
      if (local && local[1] !== layer && !allowed.includes(local[1]))
        found.push(`${where}: ${layer} may not include ${local[1]}/ (${line.trim()})`);
      const system = line.match(/^\s*#\s*include\s+<([^>]+)>/);
      if (layer === 'domain' && system && DOMAIN_FORBIDDEN.includes(system[1]))
        found.push(`${where}: domain/ is pure and may not include <${system[1]}>`);
      if (NO_SQL.includes(layer) && /\bdb_(prepare|exec)\s*\(/.test(line) && !rel.startsWith('db/'))
        found.push(`${where}: ${layer}/ prepares SQL; put the statement in store/, kpi/ or db/`);
    });
  }
  for (const file of sources(join(root, 'src', 'domain')).filter((f) => f.endsWith('.c'))) {
    const name = file.slice(file.lastIndexOf('/') + 1, -2);
    if (!existsSync(join(root, 'tests', 'unit', `test_${name}.c`)))
      found.push(`src/domain/${name}.c: no tests/unit/test_${name}.c (domain/ is tested file for file)`);
  }
  return found;
}

// The check itself must be able to fail: a tree with one breach of each kind is caught.
function selfTest() {
  const root = mkdtempSync(join(tmpdir(), 'jiayi-layers-'));
  const put = (path, text) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('src/store/a.c', '#include "store/a.h"\n#include "api/api.h"\n');
  put('src/domain/b.c', '#include <jansson.h>\n#include "util/date.h"\n');
  put('tests/unit/test_b.c', '');
  put('src/domain/untested.c', '#include "util/date.h"\n');
  put('src/api/c.c', '#include "store/a.h"\nstatic void f(void) { db_prepare(db, "SELECT 1"); }\n');
  const found = breaches(root);
  rmSync(root, { recursive: true });
  if (found.length !== 4) throw new Error(`the layer check missed a planted breach: ${JSON.stringify(found)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  selfTest();
  const found = breaches();
  for (const f of found) console.error(f);
  if (found.length) {
    console.error(`${found.length} breach(es) of the layers (tests/lint/layers.mjs, docs/architecture.md)`);
    process.exit(1);
  }
  console.log('layers: every include follows an allowed edge');
}
