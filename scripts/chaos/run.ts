import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkInvariants, type Violation } from '../../queries/invariants';
import { ChaosClient } from './client';
import { approveEverything, type JourneyContext, type JourneyOutcome, runJourney } from './journey';
import { startChaosStack } from './stack';

export interface ChaosOptions {
  journeys: number;
  /** Journeys in flight at once. */
  concurrency: number;
  /** Every journey must end within this. */
  timeoutMs: number;
  /** Off: the baseline, the same journeys with no fault and every request sent once. */
  faults: boolean;
  /** R1: the worker is killed every this many milliseconds (a random time within the range). */
  workerKillEveryMs: [number, number];
  /** R2 and R3: when, from the start of the journeys, Temporal and Postgres are crashed and restarted. */
  temporalCrashesAtMs: number[];
  postgresCrashesAtMs: number[];
  temporalCli: string;
  log: (line: string) => void;
}

export interface ChaosReport {
  faults: boolean;
  started: number;
  completed: number;
  stuck: JourneyOutcome[];
  duplicates: string[];
  violations: Violation[];
  faultsInjected: { workerKills: number; temporalCrashes: number; postgresCrashes: number };
  /** Partners whose key the admin rotated: the enrollment's answer, the only one to show it, was lost. */
  keysRotated: string[];
  /** Requests the clients retried through the faults, and 500s the API answered (each a defect). */
  retried: number;
  serverErrors: number;
  serverErrorSamples: string[];
  wallMs: number;
  lastErrors: string[];
}

/** Rows the processes must never have twice, whatever was repeated or crashed. */
const DUPLICATE_CHECKS = [
  {
    what: 'partners enrolled twice',
    sql: `SELECT "legalName" AS subject, count(*)::int AS n FROM "Partner" GROUP BY 1 HAVING count(*) > 1`,
  },
  {
    what: 'invoices issued twice for one subject',
    sql: `SELECT "subjectId"::text || ' ' || purpose AS subject, count(*)::int AS n FROM "Invoice" GROUP BY "subjectId", purpose HAVING count(*) > 1`,
  },
  {
    what: 'upgrade requests made twice',
    sql: `SELECT "partnerId"::text AS subject, count(*)::int AS n FROM "UpgradeRequest" GROUP BY 1 HAVING count(*) > 1`,
  },
  {
    what: 'invoices paid twice',
    sql: `SELECT "invoiceId"::text AS subject, count(*)::int AS n FROM "Payment" WHERE kind = 'payment' GROUP BY 1 HAVING count(*) > 1`,
  },
];

/**
 * Runs the journeys on a fresh stack while the faults are injected, waits for every journey to
 * end (or the timeout), then checks the books: stuck journeys, duplicate rows, invariants.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = performance.now();
  const at = () => `+${((performance.now() - started) / 1000).toFixed(1)}s`;
  const log = (line: string) => options.log(`[chaos ${at()}] ${line}`);
  const stack = await startChaosStack({ temporalCli: options.temporalCli, log });
  const deadline = Date.now() + options.timeoutMs;
  const client = new ChaosClient(stack.api, deadline);
  const context: JourneyContext = {
    client,
    webhookSecret: stack.webhookSecret,
    termsVersion: stack.termsVersion,
    maxRepeats: options.faults ? 5 : 1,
    duplicates: [],
    adminKey: stack.adminKey,
    keysRotated: [],
  };
  const injected = { workerKills: 0, temporalCrashes: 0, postgresCrashes: 0 };
  try {
    const reviewer = await client.call('POST', '/v1/api-keys', { key: stack.adminKey, body: { role: 'reviewer', name: 'chaos reviewer' } });
    if (reviewer.status !== 201) throw new Error(`the reviewer key answered ${reviewer.status}`);
    const journeysStarted = performance.now();
    let running = true;
    const reviewing = approveEverything(context, reviewer.body.apiKey, () => running);

    const faulting = (async () => {
      if (!options.faults) return;
      const crashes = [
        ...options.temporalCrashesAtMs.map((ms) => ({ ms, crash: () => stack.crashTemporal(), count: () => injected.temporalCrashes++ })),
        ...options.postgresCrashesAtMs.map((ms) => ({ ms, crash: () => stack.crashPostgres(), count: () => injected.postgresCrashes++ })),
      ].sort((a, b) => a.ms - b.ms);
      let nextKill = performance.now() + randomInt(...options.workerKillEveryMs);
      while (running) {
        const now = performance.now() - journeysStarted;
        if (crashes.length && crashes[0].ms <= now) {
          const next = crashes.shift()!;
          await next.crash();
          next.count();
        } else if (performance.now() >= nextKill) {
          stack.killWorker();
          injected.workerKills++;
          nextKill = performance.now() + randomInt(...options.workerKillEveryMs);
        }
        await sleep(100);
      }
    })();

    const outcomes: JourneyOutcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, options.journeys) }, async () => {
        while (next < options.journeys) {
          next += 1;
          const outcome = await runJourney(context);
          outcomes.push(outcome);
          if (outcomes.length % 10 === 0 || !outcome.completed) {
            log(
              `${outcomes.length}/${options.journeys} journeys ended${outcome.completed ? '' : `; ${outcome.tag} stopped: ${outcome.failure}`}`,
            );
          }
        }
      }),
    );
    running = false;
    await Promise.all([reviewing, faulting]);
    const wallMs = performance.now() - journeysStarted;
    log(`journeys ended in ${(wallMs / 1000).toFixed(1)} s; checking the books`);

    const prisma = stack.prisma();
    const duplicates = [...context.duplicates];
    for (const check of DUPLICATE_CHECKS) {
      const rows = await prisma.$queryRawUnsafe<Array<{ subject: string; n: number }>>(check.sql);
      duplicates.push(...rows.map((row) => `${check.what}: ${row.subject} (${row.n})`));
    }
    // A step in flight (a level that moved before its term did) shows for a moment: the books are
    // judged once they settle, or as they are after half a minute.
    let { violations } = await checkInvariants(prisma);
    for (let wait = 0; violations.length && wait < 30; wait++) {
      await sleep(1000);
      ({ violations } = await checkInvariants(prisma));
    }
    return {
      faults: options.faults,
      started: outcomes.length,
      completed: outcomes.filter((outcome) => outcome.completed).length,
      stuck: outcomes.filter((outcome) => !outcome.completed),
      duplicates,
      violations,
      faultsInjected: injected,
      keysRotated: context.keysRotated,
      retried: client.counts.retried,
      serverErrors: client.counts.serverErrors,
      serverErrorSamples: client.counts.serverErrorSamples,
      wallMs,
      lastErrors: [...stack.lastErrors],
    };
  } finally {
    await stack.stop();
  }
}

/** Whether the run proves what it should: every journey done, nothing twice, the books balanced, no 500. */
export const chaosPassed = (report: ChaosReport): boolean =>
  report.completed === report.started &&
  report.stuck.length === 0 &&
  report.duplicates.length === 0 &&
  report.violations.length === 0 &&
  report.serverErrors === 0;

export function describeReport(report: ChaosReport): string[] {
  const { workerKills, temporalCrashes, postgresCrashes } = report.faultsInjected;
  return [
    `${report.faults ? 'with faults' : 'baseline, no faults'}: ${report.started} journeys started, ${report.completed} completed, ${report.stuck.length} stuck`,
    ...report.stuck.map((journey) => `  stuck: ${journey.enrollmentWorkflowId ?? journey.tag}: ${journey.failure}`),
    `  faults: ${workerKills} worker kills, ${temporalCrashes} Temporal crashes, ${postgresCrashes} Postgres crashes`,
    `  duplicates found: ${report.duplicates.length}`,
    ...report.duplicates.map((duplicate) => `    ${duplicate}`),
    `  invariant violations: ${report.violations.length}`,
    ...report.violations.map((violation) => `    ${violation.invariant}: ${violation.subject}: ${violation.detail}`),
    `  requests retried through faults: ${report.retried}; 500 answers: ${report.serverErrors}; partner keys lost with an answer and rotated: ${report.keysRotated.length}`,
    ...report.serverErrorSamples.map((sample) => `    500: ${sample}`),
    `  wall time: ${(report.wallMs / 1000).toFixed(1)} s`,
  ];
}
