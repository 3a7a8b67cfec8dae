import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found the same way from the TypeScript sources and from dist/. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'prisma', 'schema.prisma'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No repository root above ${from}`);
    dir = parent;
  }
  return dir;
}
