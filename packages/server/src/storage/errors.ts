/**
 * The failures the storage layer reports, each with a stable `code`, so callers `switch (err.code)`
 * instead of matching messages (which never carry a stored value or SQL).
 */

/** Every `code` a storage error can carry. */
export type StorageErrorCode = 'ERR_DUPLICATE' | 'ERR_NOT_FOUND' | 'ERR_CORRUPT_ROW' | 'ERR_UNAVAILABLE';

/** A row with the same unique key (an id, an email) already exists. */
export class DuplicateError extends Error {
  readonly code = 'ERR_DUPLICATE' satisfies StorageErrorCode;
  constructor(what: string) {
    super(`${what} already exists`);
    this.name = 'DuplicateError';
  }
}

/** The row an operation needs does not exist (e.g. `activateSigningKey` with an unknown kid). */
export class NotFoundError extends Error {
  readonly code = 'ERR_NOT_FOUND' satisfies StorageErrorCode;
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** A stored row holds a value the record type does not allow. The message names the column, never the value. */
export class CorruptRowError extends Error {
  readonly code = 'ERR_CORRUPT_ROW' satisfies StorageErrorCode;
  constructor(table: string, column: string) {
    super(`stored ${table}.${column} has an unexpected value`);
    this.name = 'CorruptRowError';
  }
}

/**
 * A backing service did not answer or answered with an error, so the operation cannot be done
 * safely now (e.g. an attempt counter that could not count: letting the attempt through would
 * skip the limit). The HTTP layer answers 503 with Retry-After.
 */
export class ServiceUnavailableError extends Error {
  readonly code = 'ERR_UNAVAILABLE' satisfies StorageErrorCode;
  constructor(
    readonly service: 'database' | 'redis',
    options?: { cause?: unknown },
  ) {
    super(`the ${service} is unavailable`, options);
    this.name = 'ServiceUnavailableError';
  }
}
