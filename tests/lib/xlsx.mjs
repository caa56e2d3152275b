// Reading an XLSX file in tests without a spreadsheet library: the zip's central directory,
// each entry inflated with node's zlib, then the cells of every sheet by regular expression.
// Strings may be shared (sharedStrings.xml) or inline (libxlsxwriter's constant-memory mode).
import { inflateRawSync } from 'node:zlib';

export function unzip(bytes) {
  const files = {};
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = bytes.readUInt16LE(at + 10), size = bytes.readUInt32LE(at + 20);
    const nameLen = bytes.readUInt16LE(at + 28), extraLen = bytes.readUInt16LE(at + 30), commentLen = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(dataAt, dataAt + size);
    files[name] = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const unescape = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

// Every sheet (in workbook order) as rows of [column letters, value] pairs; values are text.
export function readSheets(bytes) {
  const files = unzip(bytes);
  const shared = files['xl/sharedStrings.xml']
    ? [...files['xl/sharedStrings.xml'].toString().matchAll(/<si>(?:<t[^>]*>(.*?)<\/t>|<r>.*?<\/r>)<\/si>/gs)].map((m) => unescape(m[1] ?? ''))
    : [];
  const names = Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(a.match(/\d+/)[0]) - Number(b.match(/\d+/)[0]));
  return names.map((n) => [...files[n].toString().matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((row) =>
    [...row[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map(([, attrs, body = '']) => {
      const col = attrs.match(/r="([A-Z]+)/)[1];
      const inline = body.match(/<is><t[^>]*>(.*?)<\/t><\/is>/s);
      const v = body.match(/<v>(.*?)<\/v>/s);
      const value = inline ? unescape(inline[1]) : !v ? null : /t="s"/.test(attrs) ? shared[Number(v[1])] : unescape(v[1]);
      return [col, value];
    })));
}

export const readSheet = (bytes) => readSheets(bytes)[0];
