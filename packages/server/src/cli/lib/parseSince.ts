/** `--since`: how far back a listing goes, as a duration (`7d`) or a date. */
import { CliError } from './errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The epoch ms `value` means at `now`: `45s`, `30m`, `12h`, `7d`, `2w` back from now, or an ISO
 * date or time (`2030-01-31`, `2030-01-31T08:00:00Z`). A usage error (exit 2) otherwise.
 *
 * @example
 * ```ts
 * parseSince('7d', Date.UTC(2030, 0, 8)); // Date.UTC(2030, 0, 1)
 * ```
 */
export function parseSince(value: string, now: number): number {
  const duration = /^(\d{1,6})([smhdw])$/.exec(value.trim());
  if (duration) return now - Number(duration[1]) * UNIT_MS[duration[2]!]!;
  const date = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (!Number.isNaN(date)) return date;
  throw new CliError(`--since must be a duration like 7d, 12h or 30m, or a date like 2030-01-31, not "${value}"`, 2);
}
