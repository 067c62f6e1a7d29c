/** Formatting for people: relative and exact times, and a short device name from a User-Agent. */

const UNITS: Array<[unit: Intl.RelativeTimeFormatUnit, ms: number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const exactFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });

/**
 * "just now", "2 minutes ago", "yesterday", "in 60 days": the largest whole unit.
 *
 * @example
 * ```ts
 * relativeTime(now - 120_000, now); // '2 minutes ago'
 * ```
 */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) < 45_000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'minute') return relativeFormat.format(Math.sign(diff) * Math.round(Math.abs(diff) / ms), unit);
  }
  return 'just now';
}

/**
 * An unambiguous absolute time, in UTC (the server does not know the reader's time zone).
 *
 * @example
 * ```ts
 * exactTime(Date.UTC(2026, 10, 22, 9, 5)); // '22 Nov 2026, 09:05 UTC'
 * ```
 */
export function exactTime(at: number): string {
  return `${exactFormat.format(new Date(at))} UTC`;
}

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bHeadlessChrome\//, 'Chrome (headless)'],
  [/\bChrom(?:e|ium)\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

const PROGRAMS: Array<[RegExp, string]> = [
  [/^node$|^node-fetch\b|^undici\b/i, 'Node.js app'],
  [/^curl\//i, 'curl'],
  [/^python-requests\/|^python-urllib|^aiohttp\//i, 'Python app'],
  [/^okhttp\//i, 'Android app'],
  [/\bCFNetwork\//, 'Apple app'],
  [/^Go-http-client\//, 'Go app'],
];

/**
 * A short, human name for the device or program behind a User-Agent header: "Chrome on
 * macOS", "Safari on iPhone", "Node.js app". A hint, not proof: any client can send any UA.
 *
 * @example
 * ```ts
 * deviceHint('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) … Version/17.0 Mobile/15E148 Safari/604.1'); // 'Safari on iPhone'
 * ```
 */
export function deviceHint(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return 'Unknown device';
  const program = PROGRAMS.find(([re]) => re.test(ua))?.[1];
  if (program) return program;
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser ?? system) return (browser ?? system)!;
  // Unknown program: its product token, kept short.
  const product = ua.split(/[\s/(]/)[0] ?? ua;
  return product.length > 40 ? `${product.slice(0, 39)}…` : product || 'Unknown device';
}
