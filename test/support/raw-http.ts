import { request } from 'node:http';
import { ApiResponse } from './test-app';

/**
 * One request whose target is sent byte for byte as written: fetch would normalise it (resolve
 * dot segments, reject some characters), and hostile targets are what these tests are about.
 */
export function rawRequest(
  base: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<ApiResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, method, path: target, headers: options.headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const one of ([] as string[]).concat(value ?? [])) headers.append(name, one);
        }
        resolve({ status: incoming.statusCode ?? 0, headers, body: parse(text) });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
