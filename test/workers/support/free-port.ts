import net from 'node:net';

/** A base port with `count` consecutive free loopback ports (one per emulated GPU). */
export async function freePortBase(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = await anyFreePort();
    if (base + count > 65_000) continue;
    const ok = await Promise.all(Array.from({ length: count }, (_, i) => isFree(base + i)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port range on loopback');
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
