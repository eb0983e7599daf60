/** `npm run db:seed`: puts the demo project into the database named by DATABASE_URL, if it is empty. */
import { createDb } from '../lib/db.ts';
import { migrate } from '../lib/db/migrate.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../lib/seed/demo.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: npm run db:seed seeds the database it names.');
  process.exit(2);
}
await migrate(url);
const db = createDb(url);
try {
  const { seeded } = await seedDemo(db);
  if (seeded) {
    console.log(`Seeded the demo project. Sign in with password "${DEMO_PASSWORD}" as:`);
    for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.padEnd(8)} ${account.email}`);
  } else {
    console.log('The database already has users; nothing seeded.');
  }
} finally {
  await db.$disconnect();
}
