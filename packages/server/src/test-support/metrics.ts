/** Reading a Prometheus text scrape in tests: one value per series, addressed by name and labels. */

/** The series of a scrape: `name{a="1",b="2"}` (labels sorted) → value. */
export type Scrape = Map<string, number>;

/**
 * GETs `url` (a metrics listener's `/metrics`) and parses it; asserts nothing.
 *
 * @example
 * ```ts
 * const scrape = await scrapeMetrics(`${s.server.metricsUrl}/metrics`);
 * series(scrape, 'keyturn_lockouts_total'); // 1
 * ```
 */
export async function scrapeMetrics(url: string): Promise<{ text: string; scrape: Scrape }> {
  const text = await (await fetch(url)).text();
  const scrape: Scrape = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels = [...(m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    scrape.set(`${m[1]}{${labels.join(',')}}`, Number(m[4]));
  }
  return { text, scrape };
}

/** The value of one series, 0 when the scrape does not have it (a counter never incremented). */
export function series(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const key = `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',')}}`;
  return scrape.get(key) ?? 0;
}
