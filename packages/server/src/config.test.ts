/** The audit retention setting: flag over variable over the default of 90 days, and a clear error for a bad value. */
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
