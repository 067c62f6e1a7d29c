/** The bounded drain of the HTTP server on shutdown: in-flight requests may finish, but not for ever. */
import type { FastifyInstance } from 'fastify';

/**
 * Stops accepting connections, closes idle keep-alive ones, lets requests in flight finish for
 * up to `graceMs`, then closes every connection still open and resolves. Without the bound, one
 * client that sent headers and then held its body back kept a stopping process alive until a
 * supervisor sent SIGKILL. Answers `true` when everything finished within the grace period.
 *
 * @example
 * ```ts
 * process.once('SIGTERM', () => void drain(app, 10_000).then(() => kt.close()));
 * ```
 */
export async function drain(app: FastifyInstance, graceMs: number): Promise<boolean> {
  const closing = app.close();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, graceMs, 'late')));
  const outcome = await Promise.race([closing.then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'closed') return true;
  app.server.closeAllConnections();
  await closing;
  return false;
}
