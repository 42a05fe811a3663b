import { randomBytes } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type Failure = { status: 500 | 400 | 410 } | { status: 429; retryAfterSeconds: number } | { hang: true };

export interface Delivery {
  receiver: string;
  webhookId: string;
  payload: any;
  receivedAt: Date;
}

interface Receiver {
  secret: string;
  failNext: { count: number; failure: Failure }[];
  failure: Failure | null;
  /** Fails the first request of every webhook-id (a flaky receiver: each delivery needs a second attempt). */
  firstTry: Failure | null;
  tried: Set<string>;
  /** Requests left hanging; reset when the receiver recovers, as a restarted server would. */
  hung: ServerResponse[];
  delayMs: number;
}

/**
 * A fake association system: real HTTP on 127.0.0.1, one path per association
 * (`/receivers/<name>`). It verifies Standard Webhooks signatures with the `standardwebhooks`
 * package, records each distinct webhook-id once, and misbehaves on request.
 */
export interface AssociationReceiver {
  url: string;
  addReceiver(name: string, secret?: string): { url: string; secret: string };
  deliveries(name?: string): Delivery[];
  requestCount(name?: string): number;
  duplicateCount(name?: string): number;
  failNext(name: string, count: number, failure: Failure): void;
  setFailure(name: string, failure: Failure | null): void;
  failFirstTry(name: string, failure: Failure | null): void;
  setDelay(name: string, ms: number): void;
  close(): Promise<void>;
}

export async function startAssociationReceiver(): Promise<AssociationReceiver> {
  const receivers = new Map<string, Receiver>();
  const delivered = new Map<string, Delivery>();
  const requests: string[] = [];
  const duplicates: string[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch(() => answer(response, 500, { error: 'fake receiver crashed' }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const name = /^\/receivers\/([\w-]+)$/.exec(request.url ?? '')?.[1];
    const receiver = name ? receivers.get(name) : undefined;
    const body = await readBody(request);
    if (!name || !receiver || request.method !== 'POST') return answer(response, 404, { error: 'no such receiver' });
    requests.push(name);
    if (receiver.delayMs) await new Promise((resolve) => setTimeout(resolve, receiver.delayMs));
    const failure = nextFailure(receiver, String(request.headers['webhook-id']));
    if (failure && 'hang' in failure) return void receiver.hung.push(response); // never answer: the client times out
    if (failure) {
      if (failure.status === 429) response.setHeader('retry-after', String(failure.retryAfterSeconds));
      return answer(response, failure.status, { error: 'told to fail' });
    }
    let payload: any;
    try {
      payload = new Webhook(receiver.secret).verify(body, headersOf(request));
    } catch {
      return answer(response, 401, { error: 'bad signature' });
    }
    const webhookId = String(request.headers['webhook-id']);
    if (delivered.has(webhookId)) duplicates.push(name);
    else delivered.set(webhookId, { receiver: name, webhookId, payload, receivedAt: new Date() });
    answer(response, 200, { received: true });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const receiverOf = (name: string): Receiver => {
    const receiver = receivers.get(name);
    if (!receiver) throw new Error(`No receiver ${name}`);
    return receiver;
  };

  return {
    url,
    addReceiver(name, secret = `whsec_${randomBytes(24).toString('base64')}`) {
      receivers.set(name, {
        secret,
        failNext: [],
        failure: null,
        firstTry: null,
        tried: new Set(),
        hung: [],
        delayMs: 0,
      });
      return { url: `${url}/receivers/${name}`, secret };
    },
    deliveries: (name) => [...delivered.values()].filter((delivery) => !name || delivery.receiver === name),
    requestCount: (name) => requests.filter((receiver) => !name || receiver === name).length,
    duplicateCount: (name) => duplicates.filter((receiver) => !name || receiver === name).length,
    failNext: (name, count, failure) => receiverOf(name).failNext.push({ count, failure }),
    setFailure: (name, failure) => {
      const receiver = receiverOf(name);
      receiver.failure = failure;
      if (!failure) receiver.hung.splice(0).forEach((response) => response.destroy());
    },
    failFirstTry: (name, failure) => void (receiverOf(name).firstTry = failure),
    setDelay: (name, ms) => void (receiverOf(name).delayMs = ms),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function nextFailure(receiver: Receiver, webhookId: string): Failure | null {
  if (receiver.failure) return receiver.failure;
  const firstTry = !receiver.tried.has(webhookId);
  receiver.tried.add(webhookId);
  if (receiver.firstTry && firstTry) return receiver.firstTry;
  const next = receiver.failNext[0];
  if (!next) return null;
  if (--next.count <= 0) receiver.failNext.shift();
  return next.failure;
}

function headersOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(',') : String(value),
    ]),
  );
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
