// scratch: node test/simulation/try.ts <shape> <campaigns> [policies]
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { enginePolicy } from './engine-policy.ts';
import { calibration, outcomeOf } from './outcomes.ts';
import type { PortfolioShape } from './portfolio.ts';
import { legacyPolicy, nothingPolicy, oraclePolicy, seedsPolicy } from './rule-policies.ts';
import { simulate } from './simulate.ts';

const shape = (process.argv[2] ?? 'mixed') as PortfolioShape;
const campaigns = Number(process.argv[3] ?? 300);
const which = (process.argv[4] ?? 'nothing,seeds,oracle,engine').split(',');
const settings = process.argv[5] ? JSON.parse(process.argv[5]) : {};
const spec = { shape, campaigns, days: 30, seed: Number(process.env.SEED ?? 7) };
const db = await openPglite();
await migrate(db);
const policies: Record<string, () => import('./market.ts').Policy> = {
  nothing: nothingPolicy,
  seeds: () => seedsPolicy(),
  legacy: () => legacyPolicy(),
  oracle: () => oraclePolicy(),
  engine: () => enginePolicy(db, { settings: { guardrails: settings } }),
  seedsP: () => seedsPolicy({ pauseOnly: true }),
  oracleP: () => oraclePolicy({ pauseOnly: true }),
  engineP: () => enginePolicy(db, { pauseOnly: true, settings: { guardrails: settings } }),
};
for (const name of which) {
  const t0 = Date.now();
  const policy = policies[name]!();
  const spent = { observe: 0, decide: 0 };
  const timed = {
    ...policy,
    observe:
      policy.observe &&
      (async (m: never, d: number) => {
        const t = performance.now();
        await policy.observe!(m, d);
        spent.observe += performance.now() - t;
      }),
    decide: async (m: never, d: number) => {
      const t = performance.now();
      const r = await policy.decide(m, d);
      spent.decide += performance.now() - t;
      return r;
    },
  } as typeof policy;
  const market = await simulate(spec, timed);
  console.log('ms', JSON.stringify(spent), JSON.stringify((globalThis as any).__T));
  const o = outcomeOf(market);
  console.log(
    name,
    `${((Date.now() - t0) / 1000).toFixed(0)}s`,
    JSON.stringify({ ...o, profit: Math.round(o.profit) }),
  );
  const pauses = market.actions.filter((a) => a.kind === 'pause');
  for (const b of calibration(pauses))
    console.log('  pause', b.from, b.actions, b.meanConfidence.toFixed(3), b.right.toFixed(3));
  const scales = market.actions.filter((a) => a.kind !== 'pause');
  for (const b of calibration(scales))
    console.log('  scale', b.from, b.actions, b.meanConfidence.toFixed(3), b.right.toFixed(3));
}
await db.close();
