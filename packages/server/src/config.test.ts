/** Settings of the configuration: the audit retention, the metrics listener and the log format (flag > env > default, a clear error for a bad value). */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('--audit-retention (KEYTURN_AUDIT_RETENTION)', () => {
  it('is 90 days by default, the variable when set, and the flag above both', () => {
    expect(loadConfig({}, {}).auditRetentionDays).toBe(90);
    expect(loadConfig({}, { KEYTURN_AUDIT_RETENTION: '30' }).auditRetentionDays).toBe(30);
    expect(loadConfig({ auditRetention: '365' }, { KEYTURN_AUDIT_RETENTION: '30' }).auditRetentionDays).toBe(365);
  });

  it.each(['0', '-1', '1.5', 'forever'])('refuses %s with a ConfigError naming the setting', (value) => {
    expect(() => loadConfig({ auditRetention: value }, {})).toThrow(new ConfigError(`--audit-retention (KEYTURN_AUDIT_RETENTION) must be a whole number of days, not "${value}"`));
  });
});

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
