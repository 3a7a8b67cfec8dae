/**
 * npm run fuzz: starts the product on a scratch data folder and scratch ports, makes a reviewer
 * key and an active partner, then runs schemathesis against /docs-json once per key (admin,
 * reviewer, partner) with every check (scripts/fuzz/schemathesis.toml). Requests pass through a counting proxy, so the figures
 * per operation are the server's own. Exits non-zero on any server error or contract failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, Agent, createServer, request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { repoRoot } from '../lib/paths';
import { freePort, waitFor } from './infra/ports';
import { type ScratchProduct, startScratchProduct } from './infra/scratch-product';

const root = repoRoot();
const env = process.env;
const schemathesis = env.SCHEMATHESIS_PATH;
const maxExamples = Number(env.FUZZ_MAX_EXAMPLES ?? 1000);
const workers = env.FUZZ_WORKERS ?? '1';
// The admin key goes last: its run revokes the keys it lists, which would leave the others' runs nothing but 401.
const keys = (env.FUZZ_KEYS ?? 'reviewer,partner,admin').split(',').map((key) => key.trim());
/**
 * Operations a key's own run would end itself with (revoking its key, withdrawing its partner),
 * after which every request is a 401 or 403; the admin and reviewer runs cover them.
 */
const SELF_ENDING: Record<string, string | undefined> = { partner: '^/v1/(api-keys/\\{id\\}/revoke|partners/\\{id\\}/withdraw)$' };
const reportRoot = resolve(root, env.FUZZ_REPORT_DIR ?? '.data/fuzz');

interface Tally {
  requests: number;
  serverErrors: number;
  statuses: Map<number, number>;
}

/** Counts what passes through per documented operation ("POST /v1/enrollments"), by status. */
class CountingProxy {
  readonly byOperation = new Map<string, Tally>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private routes: Array<{ pattern: RegExp; path: string; methods: Set<string> }> = [];

  constructor(private readonly target: number) {}

  learn(document: { paths: Record<string, Record<string, unknown>> }): void {
    this.routes = Object.entries(document.paths).map(([path, item]) => ({
      path,
      methods: new Set(Object.keys(item).map((method) => method.toUpperCase())),
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`, 'i'),
    }));
  }

  reset(): void {
    this.byOperation.clear();
  }

  operationOf(method: string, url: string): string {
    const path = url.split('?')[0];
    const route = this.routes.find((candidate) => candidate.pattern.test(path) && candidate.methods.has(method));
    if (route) return `${method} ${route.path}`;
    const known = this.routes.find((candidate) => candidate.pattern.test(path));
    return known ? `${method} ${known.path} (undocumented method)` : `${method} (unknown path)`;
  }

  listen(port: number): Promise<void> {
    const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
      const operation = this.operationOf(incoming.method ?? 'GET', incoming.url ?? '/');
      const upstream = httpRequest(
        { host: '127.0.0.1', port: this.target, method: incoming.method, path: incoming.url, headers: incoming.headers, agent: this.agent },
        (answer) => {
          const status = answer.statusCode ?? 0;
          const tally = this.byOperation.get(operation) ?? { requests: 0, serverErrors: 0, statuses: new Map() };
          tally.requests += 1;
          if (status >= 500) tally.serverErrors += 1;
          tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
          this.byOperation.set(operation, tally);
          outgoing.writeHead(status, answer.rawHeaders);
          answer.pipe(outgoing);
        },
      );
      upstream.on('error', () => {
        outgoing.writeHead(502).end();
      });
      incoming.pipe(upstream);
    });
    server.unref();
    return new Promise((done) => server.listen(port, '127.0.0.1', () => done()));
  }
}

async function json(url: string, init: RequestInit & { expect: number }): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== init.expect)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A fresh reviewer key, issued by the admin. */
async function reviewerKey(api: string, adminKey: string): Promise<string> {
  const admin = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
  const reviewer = await json(`${api}/v1/api-keys`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ role: 'reviewer', name: 'fuzz' }),
    expect: 201,
  });
  return String(reviewer.apiKey);
}

/** The key of a fresh active partner: enrolled and approved the way a person would, over HTTP. */
async function partnerKey(api: string, adminKey: string): Promise<string> {
  const reviewerHeaders = { Authorization: `Bearer ${await reviewerKey(api, adminKey)}`, 'Content-Type': 'application/json' };
  const catalog = JSON.parse(
    readFileSync(join(root, 'prisma/catalog', readdirSync(join(root, 'prisma/catalog')).sort().at(-1)!), 'utf8'),
  ) as {
    rules: { programTerms?: { version: string } };
  };
  const enrolled = await json(`${api}/v1/enrollments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      organization: {
        legalName: `Fuzz Partner ${randomBytes(4).toString('hex')} Ltd`,
        country: 'GB',
        website: 'https://fuzz-partner.example',
        industries: ['retail'],
        customerSizes: ['small-business'],
        technologies: ['sql-server'],
      },
      primaryLocation: { addressLine1: '1 High Street', city: 'London', postalCode: 'EC1A 1BB', country: 'GB' },
      contact: { name: 'Ada Lovelace', email: 'ada@fuzz-partner.example' },
      requestedLevel: 'registered',
      ...(catalog.rules.programTerms ? { acceptedTermsVersion: catalog.rules.programTerms.version } : {}),
    }),
    expect: 202,
  });
  const review = await waitFor(
    'the enrollment review',
    async () => {
      const page = await json(`${api}/v1/reviews?status=pending&kind=enrollment`, { headers: reviewerHeaders, expect: 200 });
      const task = (page.items as Array<{ id: string; partnerId: string }>).find((item) => item.partnerId === enrolled.partnerId);
      if (!task) throw new Error('no review task yet');
      return task;
    },
    60_000,
  );
  await json(`${api}/v1/reviews/${review.id}/decision`, {
    method: 'POST',
    headers: reviewerHeaders,
    body: JSON.stringify({ decision: 'approve' }),
    expect: 200,
  });
  const partnerHeaders = { Authorization: `Bearer ${String(enrolled.apiKey)}` };
  await waitFor(
    'the partner to become active',
    async () => {
      const partner = await json(`${api}/v1/partners/${String(enrolled.partnerId)}`, { headers: partnerHeaders, expect: 200 });
      if (partner.status !== 'active') throw new Error(`partner is ${String(partner.status)}`);
    },
    60_000,
  );
  return String(enrolled.apiKey);
}

/** A key for the run, made just before it, so an earlier run cannot have revoked it. */
function keyFor(key: string, api: string, adminKey: string): Promise<string> {
  if (key === 'admin') return Promise.resolve(adminKey);
  if (key === 'reviewer') return reviewerKey(api, adminKey);
  if (key === 'partner') return partnerKey(api, adminKey);
  throw new Error(`FUZZ_KEYS names an unknown key: ${key} (admin, reviewer, partner)`);
}

interface RunFigures {
  key: string;
  operations: number;
  requests: number;
  fewestPerOperation: string;
  serverErrors: number;
  contractFailures: number;
  seconds: number;
  exitCode: number;
  keyStillValid: boolean;
}

function runSchemathesis(args: string[], logFile: string, children: Set<ChildProcess>): Promise<number> {
  return new Promise((done, fail) => {
    const log = createWriteStream(logFile);
    // From the report folder, where schemathesis keeps its own state (.schemathesis/).
    const child = spawn(schemathesis!, args, { cwd: reportRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } });
    children.add(child);
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      children.delete(child);
      log.end();
      done(code ?? (signal ? 128 : 1));
    });
  });
}

/** Unique failures schemathesis reports, from its JSON report; server errors are counted by the proxy. */
function contractFailures(reportDir: string): number {
  const file = readdirSync(reportDir).find((name) => name.startsWith('json-') && name.endsWith('.json'));
  if (!file) return Number.NaN;
  const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8')) as { test_cases: { unique_failures: number }; errors: unknown[] };
  return report.test_cases.unique_failures + report.errors.length;
}

async function main(): Promise<void> {
  if (!schemathesis) throw new Error('SCHEMATHESIS_PATH is not set; run through `npm run fuzz`');
  const proxyPort = await freePort();
  const children = new Set<ChildProcess>();
  let product: ScratchProduct | undefined;

  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await product?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.log(`\n${signal}: stopping the product and schemathesis...`);
      void stop().then(() => process.exit(130));
    });
  }

  const figures: RunFigures[] = [];
  try {
    mkdirSync(reportRoot, { recursive: true });
    const productLog = join(reportRoot, 'product.log');
    console.log(`Starting the product on a scratch data folder; its output goes to ${productLog}`);
    const productOut = createWriteStream(productLog);
    product = await startScratchProduct({
      env: {
        // The fuzzer is one caller sending tens of thousands of requests: no limit should answer it.
        RATE_LIMIT_PER_MINUTE: '1000000',
        PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
        LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      },
      output: (text) => productOut.write(text),
    });
    const { api, apiPort, adminKey } = product;

    const proxy = new CountingProxy(apiPort);
    const document = (await json(`${api}/docs-json`, { expect: 200 })) as { paths: Record<string, Record<string, unknown>> };
    proxy.learn(document);
    await proxy.listen(proxyPort);
    const operationCount = Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);

    for (const key of keys) {
      const keyValue = await keyFor(key, api, adminKey);
      const reportDir = join(reportRoot, key);
      rmSync(reportDir, { recursive: true, force: true });
      mkdirSync(reportDir, { recursive: true });
      proxy.reset();
      console.log(`\nschemathesis with the ${key} key: ${operationCount} operations, --max-examples ${maxExamples}...`);
      const started = Date.now();
      const exitCode = await runSchemathesis(
        [
          '--config-file',
          join(root, 'scripts/fuzz/schemathesis.toml'),
          'run',
          `http://127.0.0.1:${proxyPort}/docs-json`,
          '--max-examples',
          String(maxExamples),
          '--workers',
          workers,
          '--header',
          `Authorization: Bearer ${keyValue}`,
          ...(SELF_ENDING[key] ? ['--exclude-path-regex', SELF_ENDING[key]] : []),
          ...(env.FUZZ_PATHS ? ['--include-path-regex', env.FUZZ_PATHS] : []),
          '--report',
          'json',
          '--report-dir',
          reportDir,
          '--no-color',
          ...(env.FUZZ_SEED ? ['--seed', env.FUZZ_SEED] : []),
        ],
        join(reportDir, 'schemathesis.log'),
        children,
      );
      const documented = [...proxy.byOperation.entries()].filter(([operation]) => !operation.includes('('));
      const fewest = documented.sort(([, a], [, b]) => a.requests - b.requests)[0];
      const run: RunFigures = {
        key,
        operations: documented.length,
        requests: [...proxy.byOperation.values()].reduce((sum, tally) => sum + tally.requests, 0),
        fewestPerOperation: fewest ? `${fewest[1].requests} (${fewest[0]})` : '-',
        serverErrors: [...proxy.byOperation.values()].reduce((sum, tally) => sum + tally.serverErrors, 0),
        contractFailures: contractFailures(reportDir),
        seconds: Math.round((Date.now() - started) / 1000),
        exitCode,
        // A run whose key stopped working part way tested little after that: say so.
        keyStillValid: (await fetch(`${api}/v1/api-keys`, { headers: { Authorization: `Bearer ${keyValue}` } })).status === 200,
      };
      figures.push(run);
      writeFileSync(
        join(reportDir, 'requests.json'),
        JSON.stringify(
          Object.fromEntries(
            [...proxy.byOperation.entries()].map(([operation, tally]) => [
              operation,
              { requests: tally.requests, statuses: Object.fromEntries(tally.statuses) },
            ]),
          ),
          null,
          2,
        ),
      );
      console.log(
        `  ${run.requests} requests, fewest per operation ${run.fewestPerOperation}, ${run.serverErrors} server errors, ` +
          `${run.contractFailures} contract failures, ${run.seconds} s, key ${run.keyStillValid ? 'still valid' : 'NO LONGER VALID'} ` +
          `(log: ${join(reportDir, 'schemathesis.log')})`,
      );
    }
  } finally {
    await stop();
  }

  console.log('\nkey       operations  requests  fewest/op  5xx  failures  seconds');
  for (const run of figures) {
    console.log(
      `${run.key.padEnd(9)} ${String(run.operations).padStart(10)} ${String(run.requests).padStart(9)} ${run.fewestPerOperation.split(' ')[0].padStart(10)} ${String(run.serverErrors).padStart(4)} ${String(run.contractFailures).padStart(9)} ${String(run.seconds).padStart(8)}`,
    );
  }
  const failed = figures.some((run) => run.serverErrors > 0 || run.contractFailures !== 0 || run.exitCode !== 0 || !run.keyStillValid);
  console.log(failed ? '\nfuzz: FAILED (reports under ' + reportRoot + ')' : '\nfuzz: 0 server errors, 0 contract failures');
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
