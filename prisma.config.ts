import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { poolConfigFromUrl } from './lib/database-url';

// The js schema engine runs migrations with no native download (see README, Infrastructure).
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  adapter: async () => {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) throw new Error('DATABASE_URL must be set to run migrations');
    return new PrismaPg(poolConfigFromUrl(databaseUrl));
  },
});
