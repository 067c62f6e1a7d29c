// The ceiling of the HTTP stack: a bare fastify route that parses the same form body as the
// token endpoint and answers a small JSON, with nothing behind it.
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import { ready, runChild } from './child.mjs';

runChild(async () => {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  app.post('/token', async (request, reply) => reply.header('cache-control', 'no-store').send({ ok: typeof request.body === 'object' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  ready(`http://127.0.0.1:${app.server.address().port}`, {}, () => app.close());
});
