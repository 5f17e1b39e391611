// Starts a throw-away PostgreSQL server for integration tests: its own temporary cluster, listening only on
// 127.0.0.1 on an unused port chosen below the ephemeral range (PostgreSQL cannot bind port 0), with a
// password-authenticated role and database. Each call gets its own instance, so test files can run in parallel.
// Uses the Debian `postgresql` package's binaries (/usr/lib/postgresql/N/bin).

import { execFile } from 'node:child_process';
import { access, appendFile, chown, constants, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { onUnusedPort } from './ports.js';

const execFileAsync = promisify(execFile);

const HOST = '127.0.0.1';
const USER = 'vigil';
const PASSWORD = 'vigil-test-pw';
const DATABASE = 'vigil';
const SUPERUSER = 'postgres';
const BIN_ROOT = '/usr/lib/postgresql';

export interface PostgresServer {
  /** `postgres://vigil:vigil-test-pw@127.0.0.1:PORT/vigil` */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The superuser over the cluster's private unix socket (trust auth), for set-up and inspection. */
  admin: pg.ClientConfig;
  /** A fresh database owned by the test role, for one test; `drop` removes it even with connections open. */
  createDatabase(name: string): Promise<TestDatabase>;
  /** Stops the server at once (no checkpoint) and deletes its files; safe to call twice. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Who runs the server processes: PostgreSQL refuses to run as root, so as root we switch to `postgres`. */
interface ServerOwner {
  uid: number;
  gid: number;
}

interface Cluster {
  binDir: string;
  owner: ServerOwner | undefined;
  /** Temporary directory: the data directory, the log and the unix socket live inside. */
  dir: string;
  dataDir: string;
  logFile: string;
}

export async function startPostgres(): Promise<PostgresServer> {
  const binDir = await findBinDir();
  const owner = await serverOwner();
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-pg-'));
  const cluster: Cluster = {
    binDir,
    owner,
    dir,
    dataDir: path.join(dir, 'data'),
    logFile: path.join(dir, 'server.log'),
  };
  let port: number | undefined;
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    await initCluster(cluster);
    port = await onUnusedPort((candidate) => startServer(cluster, candidate));
    const admin: pg.ClientConfig = { host: dir, port, user: SUPERUSER, database: 'postgres' };
    await createRoleAndDatabase(admin);
    return await serverHandle(cluster, port, admin);
  } catch (error) {
    if (port !== undefined) await stopCluster(cluster).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function serverHandle(cluster: Cluster, port: number, admin: pg.ClientConfig): Promise<PostgresServer> {
  // A safety net for a test process that exits without calling stop(): an immediate shutdown of the postmaster.
  const postmasterPid = await readPostmasterPid(cluster);
  const killOnExit = (): void => {
    if (postmasterPid !== undefined) tryKill(postmasterPid);
  };
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${USER}:${PASSWORD}@${HOST}:${port}/${DATABASE}`,
    host: HOST,
    port,
    user: USER,
    password: PASSWORD,
    database: DATABASE,
    admin,
    async createDatabase(name) {
      const ownerUrl = `postgres://${USER}:${encodeURIComponent(PASSWORD)}@${HOST}:${port}`;
      const asOwner = async (sql: string): Promise<void> => {
        const client = new pg.Client({ connectionString: `${ownerUrl}/${DATABASE}` });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      };
      await asOwner(`CREATE DATABASE ${name}`);
      return { url: `${ownerUrl}/${name}`, drop: () => asOwner(`DROP DATABASE ${name} WITH (FORCE)`) };
    },
    stop() {
      process.removeListener('exit', killOnExit);
      stopping ??= stopCluster(cluster).finally(() => rm(cluster.dir, { recursive: true, force: true }));
      return stopping;
    },
  };
}

async function findBinDir(): Promise<string> {
  const versions = await readdir(BIN_ROOT).catch(() => [] as string[]);
  const newestFirst = versions.filter((name) => /^\d+(\.\d+)?$/.test(name)).sort((a, b) => Number(b) - Number(a));
  for (const version of newestFirst) {
    const binDir = path.join(BIN_ROOT, version, 'bin');
    if ((await isExecutable(path.join(binDir, 'initdb'))) && (await isExecutable(path.join(binDir, 'pg_ctl')))) {
      return binDir;
    }
  }
  throw new Error(
    `PostgreSQL server binaries (initdb, pg_ctl) not found under ${BIN_ROOT}/*/bin: install the Debian package ` +
      '`postgresql` (apt-get install postgresql)',
  );
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function serverOwner(): Promise<ServerOwner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = await execFileAsync('id', ['-u', SUPERUSER]);
    const gid = await execFileAsync('id', ['-g', SUPERUSER]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(
      'PostgreSQL refuses to run as root and the `postgres` OS user does not exist: install the Debian package ' +
        '`postgresql`, which creates it, or run the tests as a normal user',
    );
  }
}

/** Runs one of the server binaries, as `postgres` when we are root. */
async function runServerBinary(cluster: Cluster, binary: string, args: string[]): Promise<void> {
  const file = path.join(cluster.binDir, binary);
  const [command, commandArgs] = cluster.owner ? ['runuser', ['-u', SUPERUSER, '--', file, ...args]] : [file, args];
  // cwd inside the cluster directory: the `postgres` user may not be allowed into the caller's working directory.
  await execFileAsync(command, commandArgs, { cwd: cluster.dir, timeout: 60_000 });
}

async function initCluster(cluster: Cluster): Promise<void> {
  await runServerBinary(cluster, 'initdb', [
    '--pgdata',
    cluster.dataDir,
    '--username',
    SUPERUSER,
    '--auth-local',
    'trust',
    '--auth-host',
    'scram-sha-256',
    '--encoding',
    'UTF8',
    '--locale',
    'C',
    '--no-sync',
  ]);
  // Test data is disposable: trade durability for speed, keep the footprint small, and stay off the network.
  const settings = [
    `listen_addresses = '${HOST}'`,
    `unix_socket_directories = '${cluster.dir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 50',
    "shared_buffers = '32MB'",
  ];
  await appendFile(path.join(cluster.dataDir, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
}

/** Starts the server on `port`; when the port was taken the error carries the log that says so. */
async function startServer(cluster: Cluster, port: number): Promise<number> {
  // A fresh log per attempt: the reason of an earlier failed bind must not be read as this attempt's.
  await rm(cluster.logFile, { force: true });
  try {
    await runServerBinary(cluster, 'pg_ctl', [
      '--pgdata',
      cluster.dataDir,
      '--log',
      cluster.logFile,
      '--wait',
      '--timeout',
      '30',
      '-o',
      `-p ${port}`,
      'start',
    ]);
    return port;
  } catch (error) {
    const log = await readFile(cluster.logFile, 'utf8').catch(() => '');
    throw new Error(
      `PostgreSQL did not start on port ${port}: ${String(error)}\n--- server log (tail) ---\n${log.slice(-2_000)}`,
      {
        cause: error,
      },
    );
  }
}

async function createRoleAndDatabase(admin: pg.ClientConfig): Promise<void> {
  const client = new pg.Client(admin);
  await client.connect();
  try {
    // CREATEDB lets suites that share one server give each test its own database.
    await client.query(`CREATE ROLE ${USER} LOGIN CREATEDB PASSWORD '${PASSWORD}'`);
    await client.query(`CREATE DATABASE ${DATABASE} OWNER ${USER}`);
  } finally {
    await client.end();
  }
}

async function stopCluster(cluster: Cluster): Promise<void> {
  await runServerBinary(cluster, 'pg_ctl', ['--pgdata', cluster.dataDir, '--mode', 'immediate', '--wait', 'stop']);
}

async function readPostmasterPid(cluster: Cluster): Promise<number | undefined> {
  const text = await readFile(path.join(cluster.dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    // Already gone: nothing left to clean up.
  }
}
