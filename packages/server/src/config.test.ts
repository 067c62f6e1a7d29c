/** The operating settings of the configuration: metrics listener and log format, flag > env > default. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('the metrics and log settings', () => {
  it('keep metrics off and on loopback by default, and logs as JSON', () => {
    expect(loadConfig({}, {})).toMatchObject({ metricsPort: null, metricsHost: '127.0.0.1', logFormat: 'json' });
  });

  it('read KEYTURN_METRICS_PORT, KEYTURN_METRICS_HOST and KEYTURN_LOG_FORMAT, and let flags win', () => {
    const env = { KEYTURN_METRICS_PORT: '9464', KEYTURN_METRICS_HOST: '0.0.0.0', KEYTURN_LOG_FORMAT: 'pretty' };
    expect(loadConfig({}, env)).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0', logFormat: 'pretty' });
    expect(loadConfig({ metricsPort: '9100', metricsHost: '10.0.0.5', logFormat: 'json' }, env)).toMatchObject({ metricsPort: 9100, metricsHost: '10.0.0.5', logFormat: 'json' });
  });

  it('refuse a port that is not one and an unknown log format', () => {
    expect(() => loadConfig({ metricsPort: '70000' }, {})).toThrow(ConfigError);
    expect(() => loadConfig({}, { KEYTURN_METRICS_PORT: 'x' })).toThrow('--metrics-port (KEYTURN_METRICS_PORT) must be a whole number from 0 to 65535, not "x"');
    expect(() => loadConfig({}, { KEYTURN_LOG_FORMAT: 'xml' })).toThrow('--log-format (KEYTURN_LOG_FORMAT) must be json or pretty, not "xml"');
  });
});
