import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback webhook receiver answering with the given statuses in turn (then 200). */
export async function webhookReceiver(statuses: number[] = []): Promise<{ url: string; received: ReceivedPost[]; server: Server; close(): Promise<void> }> {
  const received: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
