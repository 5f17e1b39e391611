// Test certificates made at test time with the openssl CLI: self-signed, expired, about to expire, and a CA with a
// leaf it signed. `openssl ca` is used throughout because it alone (in OpenSSL 3.0) takes explicit start and end
// dates, which an expired certificate needs. Keys are P-256, so a whole set takes a fraction of a second.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DAY_MS = 86_400_000;

export interface TestCertificate {
  /** The certificate alone, PEM. */
  cert: string;
  key: string;
  /** The certificate followed by its issuers (what a server should present), PEM. */
  chain: string;
  notBefore: Date;
  notAfter: Date;
}

export interface IssueOptions {
  commonName: string;
  /** Subject alternative names, e.g. ['DNS:localhost', 'IP:127.0.0.1']. */
  altNames?: string[];
  notBefore: Date;
  notAfter: Date;
  /** Signed by this CA; self-signed when absent. */
  issuer?: TestCertificate;
  /** Make it a CA that can sign others. */
  isCa?: boolean;
}

export interface CertificateFactory {
  issue(options: IssueOptions): Promise<TestCertificate>;
  /** Removes the working directory. */
  close(): Promise<void>;
}

export interface TestCertificates {
  /** Self-signed for localhost and 127.0.0.1, valid for 2 days. */
  selfSigned: TestCertificate;
  /** Self-signed for localhost and 127.0.0.1, expired 3 days ago. */
  expired: TestCertificate;
  /** Self-signed for localhost and 127.0.0.1, expires in 5 days (and a few minutes). */
  expiringSoon: TestCertificate;
  /** A CA valid for 30 days. */
  ca: TestCertificate;
  /** Signed by `ca` for localhost and 127.0.0.1, valid for 10 days; `chain` holds the CA too. */
  leaf: TestCertificate;
  close(): Promise<void>;
}

/** The usual set for TLS tests. */
export async function createTestCertificates(): Promise<TestCertificates> {
  const factory = await createCertificateFactory();
  const now = Date.now();
  const hosts = { altNames: ['DNS:localhost', 'IP:127.0.0.1'] };
  const validFromNow = (days: number) => ({
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + days * DAY_MS),
  });
  try {
    const [selfSigned, expired, expiringSoon, ca] = await Promise.all([
      factory.issue({ commonName: 'localhost', ...hosts, ...validFromNow(2) }),
      factory.issue({
        commonName: 'localhost',
        ...hosts,
        notBefore: new Date(now - 30 * DAY_MS),
        notAfter: new Date(now - 3 * DAY_MS),
      }),
      factory.issue({
        commonName: 'localhost',
        ...hosts,
        notBefore: new Date(now - DAY_MS),
        notAfter: new Date(now + 5 * DAY_MS + 600_000),
      }),
      factory.issue({ commonName: 'Vigil Test CA', isCa: true, ...validFromNow(30) }),
    ]);
    const leaf = await factory.issue({ commonName: 'localhost', ...hosts, ...validFromNow(10), issuer: ca });
    return { selfSigned, expired, expiringSoon, ca, leaf, close: () => factory.close() };
  } catch (error) {
    await factory.close();
    throw error;
  }
}

export async function createCertificateFactory(): Promise<CertificateFactory> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-certs-'));
  let counter = 0;
  return {
    async issue(options) {
      counter += 1;
      return issueCertificate(dir, `cert${counter}`, options);
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function issueCertificate(dir: string, name: string, options: IssueOptions): Promise<TestCertificate> {
  const path = (suffix: string) => join(dir, `${name}.${suffix}`);
  // Each certificate gets its own CA database so several can be issued at once.
  await writeFile(path('index'), '');
  await writeFile(path('serial'), `${randomSerial()}\n`);
  await writeFile(path('cnf'), caConfig(dir, path('index'), path('serial')));

  const extensions = [
    options.isCa ? 'basicConstraints=critical,CA:TRUE' : 'basicConstraints=critical,CA:FALSE',
    options.isCa ? 'keyUsage=critical,keyCertSign,cRLSign' : 'keyUsage=critical,digitalSignature,keyEncipherment',
    ...(options.altNames?.length ? [`subjectAltName=${options.altNames.join(',')}`] : []),
  ];
  const request = ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const subject = ['-subj', `/CN=${options.commonName}`, ...extensions.flatMap((extension) => ['-addext', extension])];
  await run('openssl', [...request, '-keyout', path('key'), '-out', path('csr'), ...subject]);

  if (options.issuer) {
    await writeFile(path('issuer'), options.issuer.cert);
    await writeFile(path('issuerkey'), options.issuer.key);
  }
  const signer = options.issuer
    ? ['-cert', path('issuer'), '-keyfile', path('issuerkey')]
    : ['-selfsign', '-keyfile', path('key')];
  const validity = ['-startdate', opensslDate(options.notBefore), '-enddate', opensslDate(options.notAfter)];
  const files = ['-config', path('cnf'), '-in', path('csr'), '-out', path('crt')];
  await run('openssl', ['ca', '-batch', '-notext', ...files, ...signer, ...validity]);

  const cert = await readFile(path('crt'), 'utf8');
  const key = await readFile(path('key'), 'utf8');
  return {
    cert,
    key,
    chain: options.issuer ? cert + options.issuer.chain : cert,
    // openssl keeps whole seconds.
    notBefore: new Date(Math.floor(options.notBefore.getTime() / 1000) * 1000),
    notAfter: new Date(Math.floor(options.notAfter.getTime() / 1000) * 1000),
  };
}

function caConfig(dir: string, database: string, serial: string): string {
  return [
    '[ca]',
    'default_ca = vigil_test',
    '[vigil_test]',
    `database = ${database}`,
    `serial = ${serial}`,
    `new_certs_dir = ${dir}`,
    'default_md = sha256',
    'policy = any_name',
    'copy_extensions = copy',
    'unique_subject = no',
    '[any_name]',
    'commonName = supplied',
    '',
  ].join('\n');
}

/** YYYYMMDDHHMMSSZ, the form `openssl ca -startdate/-enddate` takes. */
function opensslDate(date: Date): string {
  return `${date
    .toISOString()
    .replace(/\.\d{3}Z$/, '')
    .replace(/\D/g, '')}Z`;
}

/** Serial numbers must differ between certificates of one issuer; openssl wants whole bytes, positive. */
function randomSerial(): string {
  return `01${randomBytes(8).toString('hex')}`;
}
