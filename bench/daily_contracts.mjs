// The daily job's contract step on a day when every contract of a county comes due (issue
// 17): a demo county built fresh, then `jiayi daily` a year and a day later, when all its
// active contracts have ended. Prints the time of the enrolment and contract steps (what one
// transaction held the writers before they went in slices) and the longest slice, and their
// ratio. Not part of `make bench` (minutes on PostgreSQL):
//   [JIAYI_TEST_DB=postgresql] JIAYI_BIN=BIN node bench/daily_contracts.mjs [RESIDENTS]
import { makeDemo, jiayi, dbSql, cleanup } from '../tests/lib/server.mjs';
import { addDays, TODAY } from '../tests/lib/clock.mjs';

const residents = Number(process.argv[2] || 3000);
const demo = makeDemo({ residents, seed: 1, fresh: true });
try {
  const active = dbSql(demo.db, "SELECT count(*) FROM contracts WHERE status = 'active'");
  const r = jiayi(['daily', '--db', demo.db], { check: false, env: { ...process.env, JIAYI_TODAY: addDays(TODAY, 366) } });
  if (r.status !== 0) throw new Error(r.stderr);
  const at = (pattern) => {
    const line = r.stderr.split('\n').find((l) => pattern.test(l));
    if (!line) throw new Error(`no line ${pattern} in:\n${r.stderr}`);
    return { ms: Date.parse(line.slice(0, 24)), line };
  };
  const before = at(/population classes changed/);
  const contracts = at(/daily contracts: /);
  const [, transactions, longest] = contracts.line.match(/(\d+) transactions, the longest held the write lock (\d+) ms/);
  const steps = contracts.ms - before.ms;
  console.log(`${process.env.JIAYI_TEST_DB || 'sqlite'}, ${residents} residents, ${active} active contracts ending:`);
  console.log(`  enrolment and contract steps ${steps} ms (one transaction before); ${transactions} transactions now, the longest ${longest} ms`);
  console.log(`  ratio longest slice / whole step: ${(Number(longest) / steps).toFixed(3)}`);
} finally {
  cleanup(demo.dir);
}
