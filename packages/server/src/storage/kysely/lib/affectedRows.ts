/** Reads kysely's affected-row counts, which arrive as an optional bigint. */

/**
 * How many rows a statement changed, as a number (0 when the driver reported nothing).
 *
 * @example
 * ```ts
 * const r = await db.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
 * return affectedRows(r.numDeletedRows) > 0;
 * ```
 */
export function affectedRows(n: bigint | undefined): number {
  return n === undefined ? 0 : Number(n);
}
