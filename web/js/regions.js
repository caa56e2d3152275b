/* regions.js - the region tree as the UI needs it: the top region and the names of
 * a region's children, fetched once per page load. */
import { api } from './api.js';

let topPromise = null;
const childrenCache = new Map();

export function topRegion() {
  if (!topPromise) {
    topPromise = api.get('/regions').then((d) => d.items[0] || null).catch((e) => {
      topPromise = null;
      throw e;
    });
  }
  return topPromise;
}

/* The children of `code` as an array of {code,name,level,parent}. */
export function childRegions(code) {
  if (!childrenCache.has(code)) {
    const p = api.get('/regions', { parent: code }).then((d) => d.items).catch((e) => {
      childrenCache.delete(code);
      throw e;
    });
    childrenCache.set(code, p);
  }
  return childrenCache.get(code);
}

/* The townships of the county as a Map code → name (empty on error). */
export async function townshipNames() {
  try {
    const top = await topRegion();
    if (!top) return new Map();
    const list = top.level === 'county' ? await childRegions(top.code) : [top];
    return new Map(list.map((r) => [r.code, r.name]));
  } catch {
    return new Map();
  }
}
