/* large-text.js - the 大字 (large text) switch for older eyes: a class on <html> that makes
 * every text of every screen larger (css/portal.css), remembered on the phone
 * (localStorage) and applied at start-up before the first screen is drawn. */
const KEY = 'jiayi.large_text';
const CLASS = 'large-text';

export function largeText() {
  return document.documentElement.classList.contains(CLASS);
}

export function setLargeText(on) {
  document.documentElement.classList.toggle(CLASS, Boolean(on));
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

/* At start-up: the choice kept on this phone. */
export function applyLargeText() {
  let on = false;
  try {
    on = localStorage.getItem(KEY) === '1';
  } catch {
    on = false;
  }
  document.documentElement.classList.toggle(CLASS, on);
}
