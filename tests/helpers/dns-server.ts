// A tiny authoritative DNS server over UDP for tests, on 127.0.0.1 with an OS-chosen port. It answers from a
// map of names to records, NOERROR with no answers for a known name without the asked type, and NXDOMAIN for
// any other name. Packets are encoded by dns-packet. Also a "server" that receives queries and never answers.

import { createSocket, type Socket } from 'node:dgram';
import dnsPacket, { type Answer, type Question } from 'dns-packet';

export interface DnsRecordSet {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
  MX?: Array<{ priority: number; exchange: string }>;
  /** One string per TXT record. */
  TXT?: string[];
  /** Answer every query for this name with SERVFAIL. */
  servfail?: boolean;
}

/** Name (case-insensitive, trailing dot optional) → its records. */
export type DnsZone = Record<string, DnsRecordSet>;

export interface TestDnsServer {
  /** "127.0.0.1:PORT", the form a dns check's `server` takes. */
  address: string;
  port: number;
  /** Queries received so far. */
  queries(): number;
  close(): Promise<void>;
}

const TTL_SECONDS = 60;
const RCODE_SERVFAIL = 2;
const RCODE_NXDOMAIN = 3;

export function startDnsServer(zone: DnsZone): Promise<TestDnsServer> {
  const records = new Map(Object.entries(zone).map(([name, set]) => [normalise(name), set]));
  return bind((socket, message, remote) => {
    const query = dnsPacket.decode(message);
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      ...answer(records, query.questions ?? []),
    });
    socket.send(reply, remote.port, remote.address);
  });
}

/** Takes queries and never answers, like a DNS server behind a firewall that drops packets. */
export function startSilentDnsServer(): Promise<TestDnsServer> {
  return bind(() => {});
}

function answer(
  records: Map<string, DnsRecordSet>,
  questions: Question[],
): { flags: number; questions: Question[]; answers: Answer[] } {
  const question = questions[0];
  const set = question ? records.get(normalise(question.name)) : undefined;
  if (!question || !set) return { flags: dnsPacket.AUTHORITATIVE_ANSWER | RCODE_NXDOMAIN, questions, answers: [] };
  if (set.servfail) return { flags: RCODE_SERVFAIL, questions, answers: [] };
  return { flags: dnsPacket.AUTHORITATIVE_ANSWER, questions, answers: answersFor(question, set) };
}

function answersFor(question: Question, set: DnsRecordSet): Answer[] {
  const base = { name: question.name, ttl: TTL_SECONDS, class: 'IN' as const };
  switch (question.type) {
    case 'A':
      return (set.A ?? []).map((data) => ({ ...base, type: 'A', data }));
    case 'AAAA':
      return (set.AAAA ?? []).map((data) => ({ ...base, type: 'AAAA', data }));
    case 'CNAME':
      return set.CNAME ? [{ ...base, type: 'CNAME', data: set.CNAME }] : [];
    case 'MX':
      return (set.MX ?? []).map((mx) => ({
        ...base,
        type: 'MX',
        data: { preference: mx.priority, exchange: mx.exchange },
      }));
    case 'TXT':
      return (set.TXT ?? []).map((data) => ({ ...base, type: 'TXT', data }));
    default:
      return [];
  }
}

function normalise(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

type Responder = (socket: Socket, message: Buffer, remote: { address: string; port: number }) => void;

async function bind(respond: Responder): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  let received = 0;
  socket.on('message', (message, remote) => {
    received += 1;
    respond(socket, message, remote);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries: () => received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
