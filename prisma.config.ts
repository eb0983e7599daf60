import { defineConfig } from 'prisma/config';

// The Prisma CLI reads this; the app itself builds its client in lib/db.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/feedloop' },
});
