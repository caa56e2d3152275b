// The two languages say the same things (issue 20): every key the zh-CN tables have, the
// English ones have too and the other way round, with the same {placeholders}, and no text
// is empty. A key missing in English falls back to Chinese on an English screen; a
// placeholder missing drops a number from a sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dictionaryKeys, ensureLanguage, ownText } from '../../web/js/i18n.js';

// Each language writes a date its own way; the caller passes y, m, d, mm and dd alike.
const OWN_FORMAT = new Set(['agreement.date']);
const placeholders = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

test('zh-CN and English have the same keys, the same placeholders, and no empty text', async () => {
  await ensureLanguage('en');
  const zh = dictionaryKeys('zh-CN'), en = new Set(dictionaryKeys('en'));
  assert.ok(zh.length > 1000, `zh-CN has ${zh.length} keys`);
  assert.deepEqual(zh.filter((k) => !en.has(k)), [], 'keys with no English');
  const zhSet = new Set(zh);
  assert.deepEqual([...en].filter((k) => !zhSet.has(k)), [], 'English keys with no Chinese');
  const differ = zh.filter((k) => !OWN_FORMAT.has(k) && placeholders(ownText('zh-CN', k)) !== placeholders(ownText('en', k)));
  assert.deepEqual(differ.map((k) => `${k}: ${ownText('zh-CN', k)} | ${ownText('en', k)}`), [], 'placeholders that differ');
  const empty = zh.filter((k) => !String(ownText('zh-CN', k)).trim() || !String(ownText('en', k)).trim());
  assert.deepEqual(empty, [], 'empty texts');
});
