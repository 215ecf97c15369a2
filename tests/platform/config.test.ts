import { loadConfig } from '../../platform/config';

describe('loadConfig', () => {
  test('When nothing is set, then the embedded defaults apply', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
    expect(c.TEMPORAL_TASK_QUEUE).toBe('registrations');
    expect(c.demoMode).toBe(true);
  });

  test('When a value is bad, then the start stops with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'no port' })).toThrow(/TEMPORAL_ADDRESS/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  test('When production starts with the default JWT secret, then it refuses', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-enough-length' });
    expect(c.demoMode).toBe(false);
  });
});
