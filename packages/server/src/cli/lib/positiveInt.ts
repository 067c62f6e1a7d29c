/** A commander argument parser for counts: a whole number of at least 1. */
import { InvalidArgumentError } from 'commander';

/**
 * Parses `value` as a whole number of at least 1, else commander's usage error (exit 2).
 *
 * @example
 * ```ts
 * cmd.option('--batch-size <n>', 'rows per batch', positiveInt);
 * ```
 */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}
