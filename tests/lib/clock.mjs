// clock.mjs - the tests' one clock. JIAYI_TODAY=YYYY-MM-DD fixes "today" for the whole run
// (`JIAYI_TODAY=2027-12-05 make test` runs every suite a year ahead); unset, it is fixed here,
// once, to the real date in China. Either way it is put back into the environment, so every
// demo, server and `jiayi daily` a test starts agrees with the test's own dates, even when a
// run crosses midnight. Every test takes its dates from here, never from the wall clock.
const fixed = process.env.JIAYI_TODAY;
if (fixed !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(fixed)) throw new Error(`JIAYI_TODAY=${fixed}: not YYYY-MM-DD`);

export const TODAY = fixed || new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
process.env.JIAYI_TODAY = TODAY;
export const YEAR = TODAY.slice(0, 4);

/* Calendar arithmetic on YYYY-MM-DD strings, in UTC so no zone or DST shifts a day. */
export const addDays = (day, n) => new Date(Date.parse(day + 'T00:00:00Z') + n * 864e5).toISOString().slice(0, 10);
export const daysAgo = (n) => addDays(TODAY, -n);
export const daysAhead = (n) => addDays(TODAY, n);
