import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema, requiredBy } from '../../platform/config';

const compose = parse(fs.readFileSync(path.join(__dirname, '../../docker-compose.yml'), 'utf8'), { merge: true });

describe('docker-compose.yml', () => {
  test('When deployed, then postgres, temporal, temporal-ui, api and worker are all services with healthchecks', () => {
    for (const name of ['postgres', 'temporal', 'temporal-ui', 'api', 'worker']) {
      expect(compose.services).toHaveProperty(name);
    }
    for (const name of ['postgres', 'temporal', 'api', 'worker']) {
      expect(compose.services[name].healthcheck?.test).toBeTruthy();
    }
  });

  test.each(Object.entries(requiredBy))('When the %s service starts, then every variable the config requires is provided', (service, vars) => {
    const env = compose.services[service].environment as Record<string, string>;
    for (const v of vars) expect(env).toHaveProperty(v);
    // Every provided app variable is one the config module knows.
    const known = Object.keys(configSchema.shape);
    for (const key of Object.keys(env)) expect(known).toContain(key);
  });

  test('When workers scale out, then nothing pins them to one container or host port', () => {
    const worker = compose.services.worker;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  test('When Temporal starts, then it persists to PostgreSQL with its schema set up first', () => {
    const temporal = compose.services.temporal;
    expect(temporal.environment.DB).toMatch(/^postgres/);
    expect(temporal.depends_on['temporal-schema'].condition).toBe('service_completed_successfully');
    expect(compose.services['temporal-schema'].command.join('\n')).toMatch(/setup-schema/);
  });

  test('When the optional monitoring profile runs, then Prometheus scrapes the API with its metrics token and every worker on the port its exporter listens on', () => {
    const prometheus = compose.services.prometheus;
    expect(prometheus.profiles).toEqual(['monitoring']);
    expect(prometheus.healthcheck?.test).toBeTruthy();
    const mounted = (prometheus.volumes as string[]).find((v) => v.endsWith(':/etc/prometheus/prometheus.yml:ro'))!;
    const scrape = parse(fs.readFileSync(path.join(__dirname, '../..', mounted.split(':')[0]), 'utf8'));
    const job = (name: string) => scrape.scrape_configs.find((j: { job_name: string }) => j.job_name === name);

    const api = job('jiaolianti-api');
    expect(api.static_configs[0].targets).toEqual([`api:${compose.services.api.environment.PORT}`]);
    // The token Prometheus sends is the one the API checks: both come from METRICS_TOKEN.
    expect(api.authorization.credentials_file).toBe('/run/secrets/metrics_token');
    expect(prometheus.secrets).toContain('metrics_token');
    expect(compose.secrets.metrics_token.environment).toBe('METRICS_TOKEN');
    expect(compose.services.api.environment.METRICS_TOKEN).toBe('${METRICS_TOKEN:-}');

    const worker = job('jiaolianti-worker');
    expect(worker.dns_sd_configs[0].names).toEqual(['worker']);
    expect(String(worker.dns_sd_configs[0].port)).toBe(compose.services.worker.environment.WORKER_METRICS_PORT);
    expect(compose.services.worker.environment.WORKER_METRICS_HOST).toBe('0.0.0.0');
  });

  test('When the app images build, then the Dockerfile they name exists', () => {
    for (const name of ['api', 'worker', 'migrate']) expect(compose.services[name].build).toBe('.');
    expect(fs.existsSync(path.join(__dirname, '../../Dockerfile'))).toBe(true);
  });
});
