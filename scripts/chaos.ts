import { parseArgs } from 'node:util';
import { chaosPassed, describeReport, runChaos } from './chaos/run';

/**
 * npm run chaos [-- --journeys 1000 --concurrency 100 --timeout-minutes 30]: the journeys once
 * without faults (the baseline) and once with every fault (worker SIGKILLs every 2-5 s, Temporal
 * and Postgres crashed twice each, every idempotent request and webhook sent up to 5 times), then
 * the report and the fault overhead ratio. Exits 1 when a journey is stuck, a row is duplicated,
 * an invariant breaks or the API answered 500.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      journeys: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '50' },
      'timeout-minutes': { type: 'string', default: '20' },
    },
  });
  const journeys = Number(values.journeys);
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values['timeout-minutes']) * 60_000;
  const temporalCli = process.env.TEMPORAL_CLI_PATH;
  if (!temporalCli) throw new Error('TEMPORAL_CLI_PATH is not set (npm run chaos sets it)');
  const common = { journeys, concurrency, timeoutMs, temporalCli, log: (line: string) => console.log(line) };
  const schedule = { workerKillEveryMs: [2000, 5000] as [number, number], temporalCrashesAtMs: [], postgresCrashesAtMs: [] };

  console.log(`Baseline: ${journeys} journeys, ${concurrency} at once, no faults`);
  const baseline = await runChaos({ ...common, ...schedule, faults: false });
  describeReport(baseline).forEach((line) => console.log(line));
  // The crashes fall within the baseline's length, so the journeys are in flight for each.
  const span = Math.max(baseline.wallMs, 20_000);
  console.log(`With faults: the same journeys, Temporal and Postgres crashed twice each within ${(span / 1000).toFixed(0)} s`);
  const faulted = await runChaos({
    ...common,
    ...schedule,
    faults: true,
    temporalCrashesAtMs: [0.15 * span, 0.55 * span],
    postgresCrashesAtMs: [0.35 * span, 0.75 * span],
  });
  describeReport(faulted).forEach((line) => console.log(line));
  console.log(`Fault overhead: ${(faulted.wallMs / baseline.wallMs).toFixed(2)}x the baseline's wall time`);
  const passed = chaosPassed(baseline) && chaosPassed(faulted);
  if (!passed) faulted.lastErrors.forEach((line) => console.log(`  ${line}`));
  console.log(passed ? 'PASS' : 'FAIL');
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
