/** The settings of the rotation retry across a restart: flag over environment over default, and a clear error for a bad value. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('rotation retry settings', () => {
  it('default to a minute after the start, for outages up to an hour', () => {
    expect(loadConfig({}, {})).toMatchObject({ rotationRetryWindowSec: 10, rotationRetryAfterRestartSec: 60, rotationRetryMaxOutageSec: 3600 });
  });

  it('come from the environment, and a flag wins over it; 0 turns the allowance off', () => {
    const env = { KEYTURN_ROTATION_RETRY_AFTER_RESTART: '120', KEYTURN_ROTATION_RETRY_MAX_OUTAGE: '900' };
    expect(loadConfig({}, env)).toMatchObject({ rotationRetryAfterRestartSec: 120, rotationRetryMaxOutageSec: 900 });
    expect(loadConfig({ rotationRetryAfterRestart: '0', rotationRetryMaxOutage: '60' }, env)).toMatchObject({ rotationRetryAfterRestartSec: 0, rotationRetryMaxOutageSec: 60 });
  });

  it('refuse a value that is not a whole number of seconds, naming the flag and the variable', () => {
    expect(() => loadConfig({}, { KEYTURN_ROTATION_RETRY_AFTER_RESTART: '1m' })).toThrow(
      new ConfigError('--rotation-retry-after-restart (KEYTURN_ROTATION_RETRY_AFTER_RESTART) must be a whole number of seconds, not "1m"'),
    );
    expect(() => loadConfig({ rotationRetryMaxOutage: '-1' }, {})).toThrow(
      new ConfigError('--rotation-retry-max-outage (KEYTURN_ROTATION_RETRY_MAX_OUTAGE) must be a whole number of seconds, not "-1"'),
    );
  });
});
