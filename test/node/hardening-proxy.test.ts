// The token endpoint behind proxies: forwarding headers count only from a configured trusted proxy. From any
// other peer they are the visitor's own words, so a spoofed X-Forwarded-For cannot slip past the per-visitor
// cap and a spoofed X-Forwarded-Host cannot make a foreign page same-origin. Behind Vite's dev proxy with
// `changeOrigin` (which rewrites Host), the page's origin passes once the proxy is trusted and sends xfwd headers.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createServer as createVite, type ViteDevServer } from 'vite';
import type { FaceswapHandlerOptions } from '../../src/server/handler.js';
import { ProxyTrust } from '../../src/server/trusted-proxies.js';
import { SOURCE, post, startStack, type Stack } from './server-helpers.js';

const create = (stack: Stack, headers: Record<string, string>) => post(`${stack.endpoint}/sessions`, { source: SOURCE }, headers);

async function withStack(options: Partial<FaceswapHandlerOptions>, run: (stack: Stack) => Promise<void>): Promise<void> {
  const stack = await startStack({ maxSessionsPerVisitor: 1, maxSessions: 50, logger: { warn: () => undefined, error: () => undefined }, ...options });
  try {
    await run(stack);
  } finally {
    await stack.close();
  }
}

describe('client addresses behind proxies', () => {
  it('an untrusted peer cannot pose as other visitors with X-Forwarded-For or Forwarded (the per-visitor cap holds)', async () => {
    // No trusted proxies, and a list that does not include the loopback peer: both ignore the headers.
    for (const trustedProxies of [undefined, ['10.0.0.0/8', '192.0.2.1']]) {
      await withStack({ trustedProxies }, async (stack) => {
        assert.equal((await create(stack, { 'x-forwarded-for': '203.0.113.1' })).status, 200);
        assert.equal((await create(stack, { 'x-forwarded-for': '203.0.113.2' })).status, 429, `trusted ${trustedProxies}`);
        assert.equal((await create(stack, { forwarded: 'for=203.0.113.3' })).status, 429);
        assert.equal(stack.emulator.state().openSessions, 1);
      });
    }
  });

  it("from a trusted proxy, the nearest untrusted hop is the visitor: hops a visitor prepends don't change who it is", async () => {
    await withStack({ trustedProxies: ['loopback', '10.0.0.0/8'] }, async (stack) => {
      assert.equal((await create(stack, { 'x-forwarded-for': '203.0.113.1' })).status, 200);
      assert.equal((await create(stack, { 'x-forwarded-for': '203.0.113.2, 10.1.2.3' })).status, 200, 'another visitor, through a second trusted hop');
      // The visitor sends its own X-Forwarded-For; the proxy appends the real address after it.
      assert.equal((await create(stack, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).status, 429, 'spoofed first hop');
      assert.equal((await create(stack, { forwarded: 'for=198.51.100.8, for="[2001:db8::1]:4711"' })).status, 200, 'RFC 7239 form');
      assert.equal((await create(stack, { forwarded: 'for=198.51.100.9;proto=https, for="[2001:db8::1]"' })).status, 429);
      assert.equal(stack.emulator.state().openSessions, 3);
    });
  });

  it('reads IPv4, IPv6, IPv4-mapped peers and CIDR ranges; unparsable entries trust nothing and are reported', () => {
    const invalid: string[] = [];
    const trust = new ProxyTrust(['loopback', '172.16.0.0/12', '2001:db8::/32', 'proxy.example', '10.0.0.0/33'], (entry) => invalid.push(entry));
    assert.deepEqual(invalid, ['proxy.example', '10.0.0.0/33']);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '172.31.255.1', '2001:db8:ffff::1']) assert.ok(trust.trusts(address), address);
    for (const address of ['172.32.0.1', '2001:db9::1', '::ffff:8.8.8.8', 'proxy.example', '2130706433', undefined])
      assert.ok(!trust.trusts(address), String(address));
  });
});

describe('origin checks behind proxies', () => {
  const health = (stack: Stack, headers: Record<string, string>) => fetch(`${stack.endpoint}/health`, { headers });

  it('X-Forwarded-Host and Forwarded host= make a page same-origin only when a trusted proxy sends them', async () => {
    const page = { origin: 'https://shop.example' };
    await withStack({}, async (stack) => {
      assert.equal((await health(stack, { ...page, 'x-forwarded-host': 'shop.example' })).status, 403, 'spoofed by an untrusted peer');
      assert.equal((await health(stack, { ...page, forwarded: 'host=shop.example' })).status, 403);
    });
    await withStack({ trustedProxies: ['loopback'] }, async (stack) => {
      const answer = await health(stack, { ...page, 'x-forwarded-host': 'shop.example' });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.equal((await health(stack, { ...page, forwarded: 'for=203.0.113.1;host="shop.example"' })).status, 200);
      assert.equal((await health(stack, { ...page, 'x-forwarded-host': 'other.example' })).status, 403, 'another host is still foreign');
    });
  });

  describe("Vite's dev proxy with changeOrigin (it rewrites Host to the endpoint's)", () => {
    let vite: ViteDevServer | undefined;
    let stack: Stack | undefined;
    const start = async (options: Partial<FaceswapHandlerOptions>) => {
      stack = await startStack({ logger: { warn: () => undefined, error: () => undefined }, ...options });
      vite = await createVite({
        configFile: false,
        logLevel: 'silent',
        root: '/nonexistent-vite-root',
        server: { host: '127.0.0.1', port: 0, hmr: false, proxy: { '/api/faceswap': { target: stack.origin, changeOrigin: true, xfwd: true } } },
      });
      await vite.listen();
      return `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`;
    };
    const stop = async () => {
      await vite?.close();
      await stack?.close();
      vite = stack = undefined;
    };
    after(stop);

    it('the page origin is refused when the proxy is not trusted (the reported 403), accepted when it is', async () => {
      for (const [trustedProxies, expected] of [
        [undefined, 403],
        [['loopback'], 200],
      ] as const) {
        const page = await start({ trustedProxies });
        try {
          const answer = await post(`${page}/api/faceswap/sessions`, { source: SOURCE }, { origin: page });
          assert.equal(answer.status, expected, `trustedProxies ${trustedProxies}: ${answer.text}`);
          if (expected === 200) assert.equal(answer.headers.get('access-control-allow-origin'), page);
        } finally {
          await stop();
        }
      }
    });
  });
});
