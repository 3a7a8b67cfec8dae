import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A secret from the environment, or else one generated once and kept (mode 0600) in the
 * git-ignored data folder, so restarts keep working with the same value.
 */
export function secretFromEnvOrFile(envValue: string | undefined, file: string): { value: string; generated: boolean } {
  if (envValue) return { value: envValue, generated: false };
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(dirname(file), { recursive: true });
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, generated: true };
}
