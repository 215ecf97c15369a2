/**
 * A Temporal cluster in its production form on one machine: the schema on PostgreSQL (fresh databases),
 * then the frontend, the history (one or more), the matching and the worker services, each a process of
 * its own (`server start --service …`) on free ports, and the namespace. Any process can be killed and
 * started again on the same ports and databases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import YAML from 'yaml';
import { postgresEndpoint, setupTemporalSchema, type PostgresEndpoint, type TemporalServerBins } from './temporal-server';

export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';

export interface ClusterProcess {
  /** `frontend`, `history-1`, `history-2`, `matching`, `worker`. */
  name: string;
  service: TemporalService;
  grpcPort: number;
  membershipPort: number;
  child?: ChildProcess;
  log: string;
}

/** Connections per process: the machine's PostgreSQL (100 by default) is shared with everything else. */
const MAX_CONNS: Record<TemporalService, number> = { frontend: 4, history: 8, matching: 4, worker: 2 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/**
 * A free port below the kernel's ephemeral range (32768 and up): Temporal stores membership ports as a
 * SMALLINT, and a killed process restarts on its old ports, which no outgoing connection may take meanwhile.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.unref();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

/** The port that shows a process is up: the worker service serves no gRPC, only its membership (ringpop). */
const upPort = (p: ClusterProcess) => (p.service === 'worker' ? p.membershipPort : p.grpcPort);

const running = (child?: ChildProcess): boolean => Boolean(child && child.exitCode === null && child.signalCode === null);

export class TemporalCluster {
  readonly processes: ClusterProcess[] = [];
  readonly databases: { main: string; visibility: string };
  private readonly pg: PostgresEndpoint;

  private constructor(
    private readonly bins: TemporalServerBins,
    private readonly adminUrl: string,
    readonly dir: string,
    readonly namespace: string,
  ) {
    this.pg = postgresEndpoint(adminUrl);
    const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
    this.databases = { main: `jlt_temporal_${id}`, visibility: `jlt_temporal_${id}_visibility` };
  }

  /**
   * Sets up the schema on the PostgreSQL server at `adminUrl` (databases of its own, dropped by `stop`),
   * starts every service as its own process and registers `namespace`. `histories` history processes
   * share the shards between them (a kill moves the dead one's shards to the others).
   */
  static async start(opts: { bins: TemporalServerBins; adminUrl: string; dir: string; histories?: number; namespace?: string; log?: (m: string) => void }): Promise<TemporalCluster> {
    const cluster = new TemporalCluster(opts.bins, opts.adminUrl, opts.dir, opts.namespace ?? 'default');
    const log = opts.log ?? (() => undefined);
    try {
      fs.mkdirSync(path.join(opts.dir, 'config'), { recursive: true });
      log(`Temporal schema on ${cluster.databases.main} and ${cluster.databases.visibility}`);
      await setupTemporalSchema(opts.bins, cluster.pg, cluster.databases.main, 'temporal');
      await setupTemporalSchema(opts.bins, cluster.pg, cluster.databases.visibility, 'visibility');
      const names: [string, TemporalService][] = [
        ['frontend', 'frontend'],
        ...Array.from({ length: opts.histories ?? 2 }, (_, i): [string, TemporalService] => [`history-${i + 1}`, 'history']),
        ['matching', 'matching'],
        ['worker', 'worker'],
      ];
      const taken = new Set<number>();
      for (const [name, service] of names) {
        cluster.processes.push({ name, service, grpcPort: await freeLowPort(taken), membershipPort: await freeLowPort(taken), log: path.join(opts.dir, `${name}.log`) });
      }
      fs.writeFileSync(path.join(opts.dir, 'config', 'dynamicconfig.yaml'), '{}\n');
      for (const p of cluster.processes) fs.writeFileSync(path.join(opts.dir, 'config', `${p.name}.yaml`), cluster.configFor(p));
      // The frontend and the history first: the matching and the worker services need the history's shards.
      for (const p of cluster.processes) await cluster.launch(p.name);
      await cluster.registerNamespace();
      log(`Temporal cluster up at ${cluster.address}: ${cluster.processes.map((p) => `${p.name} pid ${p.child?.pid}`).join(', ')}`);
      return cluster;
    } catch (err) {
      await cluster.stop().catch(() => undefined);
      throw err;
    }
  }

  get address(): string {
    return `127.0.0.1:${this.process('frontend').grpcPort}`;
  }

  process(name: string): ClusterProcess {
    const p = this.processes.find((x) => x.name === name);
    if (!p) throw new Error(`no Temporal process ${name} (there are ${this.processes.map((x) => x.name).join(', ')})`);
    return p;
  }

  /** The config one process reads (`--env <name>`): its own service's ports, the others' for reference. */
  private configFor(self: ClusterProcess): string {
    const sql = (databaseName: string, maxConns: number) => ({
      sql: {
        pluginName: 'postgres12',
        databaseName,
        connectAddr: `${this.pg.host}:${this.pg.port}`,
        connectProtocol: 'tcp',
        user: this.pg.user,
        password: this.pg.password,
        maxConns,
        maxIdleConns: maxConns,
        maxConnLifetime: '1h',
      },
    });
    const services: Record<string, unknown> = {};
    for (const service of ['frontend', 'history', 'matching', 'worker'] as const) {
      const p = self.service === service ? self : this.processes.find((x) => x.service === service)!;
      // httpPort absent: the frontend's HTTP API stays off (the SDKs speak gRPC).
      services[service] = { rpc: { grpcPort: p.grpcPort, membershipPort: p.membershipPort, bindOnLocalHost: true } };
    }
    const config = {
      log: { stdout: true, level: 'warn' },
      persistence: {
        defaultStore: 'postgres-default',
        visibilityStore: 'postgres-visibility',
        numHistoryShards: 4,
        datastores: { 'postgres-default': sql(this.databases.main, MAX_CONNS[self.service]), 'postgres-visibility': sql(this.databases.visibility, 1) },
      },
      // No pprof or metrics listeners: every process would want the same port.
      global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
      services,
      clusterMetadata: {
        enableGlobalNamespace: false,
        failoverVersionIncrement: 10,
        masterClusterName: 'active',
        currentClusterName: 'active',
        clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: this.address } },
      },
      dcRedirectionPolicy: { policy: 'noop' },
      dynamicConfigClient: { filepath: path.join(this.dir, 'config', 'dynamicconfig.yaml'), pollInterval: '10s' },
    };
    return YAML.stringify(config);
  }

  /** Starts one process (again) on its ports and waits until it listens. */
  async launch(name: string): Promise<ClusterProcess> {
    const p = this.process(name);
    if (running(p.child)) throw new Error(`${name} is running already`);
    const out = fs.openSync(p.log, 'a');
    const child = spawn(this.bins.server, ['--root', this.dir, '--config', 'config', '--env', p.name, '--allow-no-auth', 'start', '--service', p.service], {
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    p.child = child;
    const deadline = Date.now() + 120_000;
    while (!(await listening(upPort(p)))) {
      if (!running(child)) throw new Error(`Temporal ${name} exited (${child.exitCode ?? child.signalCode}) before listening:\n${this.logTail(name)}`);
      if (Date.now() > deadline) throw new Error(`Temporal ${name} did not listen on ${upPort(p)} within 120 s:\n${this.logTail(name)}`);
      await sleep(200);
    }
    return p;
  }

  /** SIGKILL of one process; answers once it is gone and its port closed. */
  async kill(name: string): Promise<number> {
    const p = this.process(name);
    const child = p.child;
    if (!child || !running(child)) throw new Error(`${name} is not running`);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    while (await listening(upPort(p))) await sleep(100);
    return child.pid!;
  }

  logTail(name: string, chars = 3000): string {
    try {
      return fs.readFileSync(this.process(name).log, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  }

  /** The namespace, once the frontend can reach the history (registering needs a shard); then readable. */
  private async registerNamespace(): Promise<void> {
    const connection = await Connection.connect({ address: this.address });
    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        try {
          await connection.workflowService.registerNamespace({ namespace: this.namespace, workflowExecutionRetentionPeriod: msToTs('3 days') });
          break;
        } catch (err) {
          if (/already exists|AlreadyExists/i.test((err as Error).message)) break;
          if (Date.now() > deadline) throw new Error(`registering the namespace ${this.namespace} failed: ${(err as Error).message}`, { cause: err });
          await sleep(500);
        }
      }
      // Other services learn of a new namespace from their cache refresh: wait until it is served.
      for (;;) {
        try {
          await connection.workflowService.describeNamespace({ namespace: this.namespace });
          return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`the namespace ${this.namespace} is not served: ${(err as Error).message}`, { cause: err });
          await sleep(500);
        }
      }
    } finally {
      await connection.close();
    }
  }

  /** Stops every process (SIGTERM, then SIGKILL after 10 s) and drops the databases. */
  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            const child = p.child;
            if (!child || !running(child)) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => (clearTimeout(timer), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    try {
      for (const db of Object.values(this.databases)) await admin.query(`drop database if exists ${db} with (force)`);
    } finally {
      await admin.end();
    }
  }
}
