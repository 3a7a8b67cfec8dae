import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { stopTestInfra?: () => Promise<void> }).stopTestInfra?.();
  if (process.env.TEST_SCRATCH_DIR) rmSync(process.env.TEST_SCRATCH_DIR, { recursive: true, force: true });
}
