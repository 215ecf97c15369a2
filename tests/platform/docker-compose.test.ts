import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema, requiredBy } from '../../platform/config';
import { TEMPORAL_SERVER_VERSION } from '../../platform/temporal-server';

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

  test('When Temporal is deployed, then it is the server version the cluster suite (npm run test:cluster) runs, with the schema tools of its release', () => {
    const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
    expect(compose.services.temporal.image).toBe(`temporalio/server:${version}`);
    // admin-tools images carry the release's major.minor only.
    const release = version.split('.').slice(0, 2).join('.');
    for (const job of ['temporal-schema', 'temporal-namespace']) expect(compose.services[job].image).toBe(`temporalio/admin-tools:${release}`);
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

  describe('a first start on empty volumes (checked against the compose specification’s rules, as there is no Docker engine here)', () => {
    type Service = { restart?: string; healthcheck?: { test?: unknown; disable?: boolean }; depends_on?: Record<string, { condition?: string }> | string[]; command?: unknown; image?: string; environment?: Record<string, string> };
    const services = compose.services as Record<string, Service>;
    /** `${VAR:-default}` as Compose reads it with VAR unset. */
    const withDefaults = (v: string) => v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
    const oneShot = (name: string) => services[name].restart === 'no';
    const dependencies = (name: string): [string, string][] => {
      const d = services[name].depends_on ?? {};
      // The short form (a list) means service_started.
      return Array.isArray(d) ? d.map((n) => [n, 'service_started']) : Object.entries(d).map(([n, c]) => [n, c.condition ?? 'service_started']);
    };
    const script = (name: string) => [services[name].command].flat().join('\n');

    test('When it starts, then every long-running service has a healthcheck in a form the specification allows, and every one-shot job is never restarted', () => {
      for (const [name, svc] of Object.entries(services)) {
        if (oneShot(name)) continue;
        const check = svc.healthcheck;
        expect({ name, disabled: check?.disable ?? false }).toEqual({ name, disabled: false });
        const t = check?.test;
        // A string (run by the shell), or a list starting with CMD or CMD-SHELL.
        expect({ name, form: typeof t === 'string' || (Array.isArray(t) && ['CMD', 'CMD-SHELL'].includes(t[0]) && t.length > 1) }).toEqual({ name, form: true });
      }
      expect(['temporal-schema', 'temporal-namespace', 'migrate'].filter(oneShot)).toEqual(['temporal-schema', 'temporal-namespace', 'migrate']);
    });

    test('When services wait for each other, then each waits on a service that exists, with a condition it can meet', () => {
      for (const name of Object.keys(services)) {
        for (const [on, condition] of dependencies(name)) {
          expect({ name, on, exists: on in services }).toEqual({ name, on, exists: true });
          expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
          // Healthy needs a healthcheck; completed needs a job that ends (and is not restarted).
          if (condition === 'service_healthy') expect({ name, on, healthcheck: Boolean(services[on].healthcheck?.test) }).toEqual({ name, on, healthcheck: true });
          if (condition === 'service_completed_successfully') expect({ name, on, oneShot: oneShot(on) }).toEqual({ name, on, oneShot: true });
        }
      }
      // An order to start them in exists: no cycle.
      const started = new Set<string>();
      while (started.size < Object.keys(services).length) {
        const next = Object.keys(services).filter((n) => !started.has(n) && dependencies(n).every(([on]) => started.has(on)));
        expect(next.length).toBeGreaterThan(0);
        for (const n of next) started.add(n);
      }
    });

    test('When it starts, then the Temporal namespace the API and the workers use is created once Temporal is healthy, before either starts', () => {
      const appNamespace = withDefaults(services.api.environment!.TEMPORAL_NAMESPACE);
      expect(withDefaults(services.worker.environment!.TEMPORAL_NAMESPACE)).toBe(appNamespace);
      const job = services['temporal-namespace'];
      expect(job.image).toMatch(/^temporalio\/admin-tools:/);
      expect(dependencies('temporal-namespace')).toContainEqual(['temporal', 'service_healthy']);
      expect(withDefaults(job.environment!.NAMESPACE)).toBe(appNamespace);
      expect(job.environment!.TEMPORAL_ADDRESS).toBe(services.api.environment!.TEMPORAL_ADDRESS);
      // Created when missing, left alone when there (a second start), and checked.
      expect(script('temporal-namespace')).toMatch(/namespace describe[^\n]*\|\|\s*temporal operator namespace create --namespace "\$\$NAMESPACE"/);
      for (const app of ['api', 'worker']) expect(dependencies(app)).toContainEqual(['temporal-namespace', 'service_completed_successfully']);
    });

    test('When it starts, then the API and the workers wait for the migrations (and seeds) to finish on a healthy PostgreSQL', () => {
      expect(script('migrate')).toMatch(/db\/cli\.ts[\s\S]*migrate/);
      expect(dependencies('migrate')).toContainEqual(['postgres', 'service_healthy']);
      for (const app of ['api', 'worker']) {
        expect(dependencies(app)).toContainEqual(['migrate', 'service_completed_successfully']);
        expect(dependencies(app)).toContainEqual(['temporal', 'service_healthy']);
      }
      // Temporal's own schema is set up before its server starts.
      expect(dependencies('temporal')).toContainEqual(['temporal-schema', 'service_completed_successfully']);
      expect(dependencies('temporal-schema')).toContainEqual(['postgres', 'service_healthy']);
    });
  });
});
