// What the bench prints: what each answer contains (so anyone can check the work is the same),
// and each group's table of figures with its ratios.

function decodeJwt(jwt) {
  const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return `JWT ${header.alg} typ=${header.typ ?? '-'} {${Object.keys(payload).join(' ')}}`;
}

/** One line per field of a token endpoint answer: JWTs by algorithm, type and claim names; others by kind. */
export function describeAnswer(body) {
  return Object.entries(body)
    .map(([key, value]) => {
      if (typeof value === 'string' && /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return `${key}: ${decodeJwt(value)}`;
      if (key === 'refresh_token') return `${key}: opaque, ${value.length} chars`;
      return `${key}: ${JSON.stringify(value)}`;
    })
    .join('; ');
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/**
 * Prints one group: per row req/s, the ratio to the peer's row (`vsPeer`), the share of the
 * signing floor (signatures per answer x req/s / floor signatures/s) and of the bare route,
 * latencies, the server's CPU (100% = one core; CPU ms per answer, all threads and the main
 * thread alone) and its resident memory under load.
 */
export function printGroup(title, rows, { peer = null, floor = null, bare = null } = {}) {
  console.log(`\n${title}`);
  console.log(
    `${'row'.padEnd(46)}${'req/s'.padStart(8)}${'vs peer'.padStart(9)}${'% floor'.padStart(9)}${'% bare'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'CPU %'.padStart(7)}${'CPU ms'.padStart(8)}${'main'.padStart(6)}${'RSS MB'.padStart(8)}${'n'.padStart(8)}`,
  );
  for (const r of rows) {
    const signatures = r.signatures ?? 1;
    console.log(
      `${r.name.padEnd(46)}${fmt(r.perSecond).padStart(8)}${(peer && r !== peer && r.signatures !== undefined ? fmt(r.perSecond / peer.perSecond, 2) : '').padStart(9)}` +
        `${(floor && r !== floor && r.signatures !== undefined ? fmt((100 * r.perSecond * signatures) / floor.perSecond) : '').padStart(9)}` +
        `${(bare && r !== bare && r.signatures !== undefined ? fmt((100 * r.perSecond) / bare.perSecond) : '').padStart(8)}` +
        `${fmt(r.p50, 2).padStart(8)}${fmt(r.p99, 2).padStart(8)}${fmt(r.cpuPercent).padStart(7)}${fmt(r.cpuMsPerRequest, 2).padStart(8)}${fmt(r.mainCpuMsPerRequest, 2).padStart(6)}${fmt(r.maxRssMb).padStart(8)}${String(r.requests).padStart(8)}` +
        (r.errors > 0 ? `  (${r.errors} not 200: ${r.firstError})` : ''),
    );
  }
}
