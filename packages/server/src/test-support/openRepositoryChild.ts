/**
 * Run as a separate process (`vite-node openRepositoryChild.ts <target>`): opens, and so
 * migrates, the repository at `<target>`, creates the user `argv[3]` if given, and exits 0.
 * Lets tests race real processes on one database.
 */
import { openRepository } from '../storage/open.js';

const [target, userId] = process.argv.slice(2);
if (target === undefined) throw new Error('usage: openRepositoryChild <target> [userId]');
const repo = await openRepository(target);
try {
  if (userId !== undefined) {
    await repo.createUser({ id: userId, email: `${userId}@example.com`, passwordHash: 'x', name: null, createdAt: 1, status: 'active' });
  }
} finally {
  await repo.close();
}
