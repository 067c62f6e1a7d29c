/** How times are shown: countdowns ("in 59 min 12 s") and ISO dates without milliseconds. */

/** "in 59 min 12 s", "in 59 days 23 h", "3 min 0 s ago". */
export function countdown(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const parts: string[] = [];
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`, `${hours} h`);
  else if (hours > 0) parts.push(`${hours} h`, `${minutes} min`);
  else if (minutes > 0) parts.push(`${minutes} min`, `${seconds} s`);
  else parts.push(`${seconds} s`);
  const text = parts.join(' ');
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** "2026-05-01T10:00:00Z", or "-" for no time. */
export function isoDate(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** "1 app", "2 apps": a count with its noun. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "2026-05-01T10:00:05Z": to the second, for deadlines a person reads. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
