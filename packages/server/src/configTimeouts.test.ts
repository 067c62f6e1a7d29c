/** The timeout settings of `loadConfig`: flag over environment over default, and clear errors on bad values. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const timeouts = (flags: Parameters<typeof loadConfig>[0], env: NodeJS.ProcessEnv = {}) => {
  const c = loadConfig(flags, env);
  return { headers: c.headersTimeoutSec, request: c.requestTimeoutSec, keepAlive: c.keepAliveTimeoutSec, shutdown: c.shutdownTimeoutSec };
};

describe('timeout settings', () => {
  it('default to headers 10 s, whole request 30 s, keep-alive 72 s and a 10 s drain', () => {
    expect(timeouts({})).toEqual({ headers: 10, request: 30, keepAlive: 72, shutdown: 10 });
  });

  it('take the environment, and a flag over the environment', () => {
    const env = { KEYTURN_HEADERS_TIMEOUT: '5', KEYTURN_REQUEST_TIMEOUT: '20', KEYTURN_KEEP_ALIVE_TIMEOUT: '65', KEYTURN_SHUTDOWN_TIMEOUT: '0' };
    expect(timeouts({}, env)).toEqual({ headers: 5, request: 20, keepAlive: 65, shutdown: 0 });
    expect(timeouts({ headersTimeout: '3', requestTimeout: '4', keepAliveTimeout: '6', shutdownTimeout: '7' }, env)).toEqual({ headers: 3, request: 4, keepAlive: 6, shutdown: 7 });
  });

  it('keeps the default headers timeout within a shorter request timeout', () => {
    expect(timeouts({ requestTimeout: '4' })).toMatchObject({ headers: 4, request: 4 });
  });

  it.each([
    [{ requestTimeout: '0' }, /--request-timeout \(KEYTURN_REQUEST_TIMEOUT\) must be a whole number of seconds, not "0"/],
    [{ headersTimeout: 'soon' }, /--headers-timeout \(KEYTURN_HEADERS_TIMEOUT\) must be a whole number of seconds, not "soon"/],
    [{ keepAliveTimeout: '1.5' }, /--keep-alive-timeout \(KEYTURN_KEEP_ALIVE_TIMEOUT\) must be a whole number of seconds, not "1.5"/],
    [{ shutdownTimeout: '-1' }, /--shutdown-timeout \(KEYTURN_SHUTDOWN_TIMEOUT\) must be a whole number of seconds, not "-1"/],
    [{ headersTimeout: '40', requestTimeout: '30' }, /the headers timeout \(40 s\) must not exceed the request timeout \(30 s\)/],
  ])('refuses %o with a ConfigError', (flags, message) => {
    expect(() => loadConfig(flags, {})).toThrow(ConfigError);
    expect(() => loadConfig(flags, {})).toThrow(message);
  });
});
