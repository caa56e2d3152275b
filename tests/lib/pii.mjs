// pii.mjs - the tests' own reading of sealed ID numbers and phones (util/seal.h), written
// from the format, not the C code: with the key file a test opens what the database holds
// and computes the digests a search compares. Node's crypto is OpenSSL's, but this is a
// second implementation of the construction (key derivation, SM4-CTR with HMAC-SM3, or
// AES-256-GCM, base64url), so a change to either side fails the tests.
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

function keys(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => {
    const [id, hex, cipher] = l.trim().split(/\s+/);
    return { id: Number(id), secret: Buffer.from(hex, 'hex'), cipher };
  });
}
const macOf = (k) => (k.cipher === 'sm4' ? 'sm3' : 'sha256');
const derive = (k, label) => createHmac(macOf(k), k.secret).update(label).digest();

/* The hex digest a search compares for `value` under `label` ("id", "id_tail", "id_masked",
 * "phone"): keyed with the index key of the file's first key. */
export function piiDigest(file, label, value) {
  const first = keys(file)[0];
  return createHmac(macOf(first), derive(first, 'jiayi pii index key')).update(`${label}:${value}`).digest('hex');
}

/* The plaintext of a sealed value (a plaintext, or null, is returned as it is). */
export function piiOpen(file, text) {
  if (text === null || text === undefined || !String(text).startsWith('v1.')) return text;
  const [, idText, b64] = String(text).match(/^v1\.(\d+)\.(.*)$/);
  const k = keys(file).find((x) => x.id === Number(idText));
  if (!k) throw new Error(`key ${idText} is not in ${file}`);
  const blob = Buffer.from(b64, 'base64url');
  if (k.cipher === 'sm4') {
    const iv = blob.subarray(0, 16), ct = blob.subarray(16, blob.length - 16), tag = blob.subarray(blob.length - 16);
    const mac = createHmac('sm3', derive(k, 'jiayi pii tag key')).update(Buffer.concat([Buffer.from(`v1.${k.id}.`), iv, ct])).digest().subarray(0, 16);
    if (!timingSafeEqual(mac, tag)) throw new Error('the tag does not match');
    const d = createDecipheriv('sm4-ctr', derive(k, 'jiayi pii cipher key').subarray(0, 16), iv);
    return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
  }
  const nonce = blob.subarray(0, 12), ct = blob.subarray(12, blob.length - 16), tag = blob.subarray(blob.length - 16);
  const d = createDecipheriv('aes-256-gcm', derive(k, 'jiayi pii cipher key'), nonce);
  d.setAAD(Buffer.from(`v1.${k.id}`));
  d.setAuthTag(tag);
  return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
}
