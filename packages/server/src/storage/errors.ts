/**
 * The failures the storage layer reports, each with a stable `code`, so callers `switch (err.code)`
 * instead of matching messages (which never carry a stored value or SQL).
 */
import { driverReason } from './lib/driverReason.js';

/** Every `code` a storage error can carry. */
export type StorageErrorCode = 'ERR_DUPLICATE' | 'ERR_NOT_FOUND' | 'ERR_CORRUPT_ROW' | 'ERR_UNAVAILABLE' | 'ERR_NO_DATABASE' | 'ERR_DATABASE_NEWER';

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

/** A backing service the server needs. */
export type BackingService = 'database' | 'redis';

/**
 * A backing service cannot answer now (refused, reset, shut down, busy or locked, timed out):
 * the request may succeed later, so it is answered 503 with `Retry-After`, not 500. The driver's
 * error is kept as `cause` for the log; the message names only the service. `reason` is the
 * driver's own words (`ECONNREFUSED 127.0.0.1:5432`, `database "x" does not exist`) for the
 * operator (start failures, logs), never a stored value.
 */
export class ServiceUnavailableError extends Error {
  readonly code = 'ERR_UNAVAILABLE' satisfies StorageErrorCode;
  readonly reason: string;
  constructor(
    readonly service: BackingService,
    options?: { cause?: unknown },
  ) {
    super(`the ${service} is unavailable`, options);
    this.reason = options?.cause === undefined ? 'unavailable' : driverReason(options.cause);
    this.name = 'ServiceUnavailableError';
  }
}

/**
 * No Keyturn database where a command looked, and the command may not create one (only
 * `serve` does). `where` is the SQLite file or the PostgreSQL URL without its password.
 */
export class NoDatabaseError extends Error {
  readonly code = 'ERR_NO_DATABASE' satisfies StorageErrorCode;
  constructor(readonly where: string) {
    super(`no Keyturn database at ${where}`);
    this.name = 'NoDatabaseError';
  }
}

/** The database holds migrations this code does not know: a newer Keyturn upgraded it. */
export class DatabaseNewerError extends Error {
  readonly code = 'ERR_DATABASE_NEWER' satisfies StorageErrorCode;
  constructor(readonly unknown: string[]) {
    super(`the database was migrated by a newer Keyturn (it has ${unknown.join(', ')}, which this version does not know)`);
    this.name = 'DatabaseNewerError';
  }
}
