import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** A minimal real HTTP server on 127.0.0.1 for the fakes: a random port and a close() that never hangs. */
export interface FakeServer {
  url: string;
  close: () => Promise<void>;
}

/** What a fake answers a request with; null sends nothing. */
type FakeAnswer = { status: number; body: unknown; headers?: Record<string, string> } | null;

export async function startFakeServer(
  handler: (
    request: IncomingMessage,
    url: URL,
    /** For handlers that answer themselves (and then resolve to null). */
    response: ServerResponse,
  ) => FakeAnswer | Promise<FakeAnswer>,
): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    Promise.resolve()
      .then(() => handler(request, url, response))
      .then((answer) => answer && send(response, answer.status, answer.body, answer.headers))
      .catch((error: unknown) => send(response, 500, { error: String(error) }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page failure rule: fail `times` more requests (or always) with `status`. */
export interface FailureRule {
  remaining: number | 'always';
  status: number;
}

export function takeFailure(rule: FailureRule | undefined): number | null {
  if (!rule) return null;
  if (rule.remaining === 'always') return rule.status;
  if (rule.remaining <= 0) return null;
  rule.remaining--;
  return rule.status;
}
