/** Opening the server's storage from a management command, with the same flags and env as `serve`. */
import { ConfigError, loadConfig, type ConfigFlags } from '../../config.js';
import { createKeyturn } from '../../compose.js';
import type { Keyturn } from '../../domain/context.js';
import { KeyError, ManagementError } from '../../domain/errors.js';
import { NoDatabaseError } from '../../storage/errors.js';
import { fromConfigError } from './configError.js';
import { CliError } from './errors.js';
import { explainStartFailure } from './startFailure.js';

/** What to do next, per kind of refusal, appended to the domain's message ("…already exists: <advice>"). */
export type ManagementAdvice = Partial<Record<ManagementError['code'], string>>;

export interface WithKeyturnOptions {
  /** Create the signing key if there is none (commands that read or change keys). */
  keys?: boolean;
  advice?: ManagementAdvice;
}

/**
 * Runs `fn` with a context on an existing database (a management command never creates one:
 * only `serve` does); closes it afterwards and turns domain errors into clean CLI errors.
 */
export async function withKeyturn<T>(flags: ConfigFlags, fn: (kt: Keyturn) => Promise<T>, options: WithKeyturnOptions = {}): Promise<T> {
  let kt: Keyturn;
  let config: ReturnType<typeof loadConfig> | undefined;
  try {
    config = loadConfig(flags);
    kt = await createKeyturn(config, { skipKeys: !options.keys, mustExist: true });
  } catch (err) {
    if (err instanceof ConfigError) throw fromConfigError(err);
    if (err instanceof NoDatabaseError) {
      throw new CliError(
        `no Keyturn database at ${err.where}, and this command does not create one: run it where the server's data folder is, ` +
          'point it there with --data-dir DIR (env KEYTURN_DATA_DIR) or --database URL-or-path (env KEYTURN_DATABASE_URL), ' +
          'or start keyturn serve once to create the database',
      );
    }
    const explained = config && explainStartFailure(err, config);
    if (explained) throw explained;
    // The secret's own words ("no server secret was given …") say what to do.
    if (err instanceof KeyError) throw new CliError(err.message);
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(
      `could not open the database (${reason}): check --database and --data-dir (env KEYTURN_DATABASE_URL, KEYTURN_DATA_DIR)`,
    );
  }
  try {
    return await fn(kt);
  } catch (err) {
    if (err instanceof ManagementError) {
      const advice = options.advice?.[err.code];
      throw new CliError(advice ? `${err.message}: ${advice}` : err.message, err.code === 'ERR_INVALID' ? 2 : 1);
    }
    throw err;
  } finally {
    await kt.close();
  }
}
