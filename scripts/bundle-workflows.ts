import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { repoRoot } from '../lib/paths';

/** Where the worker loads its prebuilt workflow bundle from. */
export const WORKFLOW_BUNDLE_PATH = join(repoRoot(), 'dist', 'workflow-bundle.js');

export async function bundleWorkflows(outputPath: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  mkdirSync(dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, code);
}

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/** Rebundles only when compiled workflow or domain code is newer than the bundle. */
async function main(): Promise<void> {
  const compiled = join(repoRoot(), 'dist');
  const inputs = Math.max(newestMtime(join(compiled, 'workflows')), newestMtime(join(compiled, 'domain')));
  if (existsSync(WORKFLOW_BUNDLE_PATH) && statSync(WORKFLOW_BUNDLE_PATH).mtimeMs >= inputs) return;
  await bundleWorkflows(WORKFLOW_BUNDLE_PATH);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
