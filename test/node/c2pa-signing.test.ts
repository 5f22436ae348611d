// Snapshots signed with a C2PA manifest by the token endpoint's `/sessions/{id}/sign` route: made by
// <faceswap-player> and <faceswap-session> in headless Chromium against a real handler (the swap service's
// transport is the echoing test double), then read back by an independent C2PA reader (c2pa-rs, the reference
// implementation, compiled to wasm: @contentauth/c2pa-wasm) and ExifTool. The certificates are made here with
// openssl: a throwaway root CA and an ES256 signing certificate with the key usages C2PA asks for.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';
import type { Browser, Page } from 'puppeteer-core';
// @ts-expect-error: plain ESM helper shared with scripts/screenshots.mjs, no type declarations.
import { launchChromium, startDemoServer } from '../../scripts/demo-driver.mjs';
import { AI_DIGITAL_SOURCE_TYPE } from '../../src/core/provenance.js';
import { exiftool } from '../support/exiftool.js';
import { SOURCE, dataUrl, post, startStack, type Stack } from './server-helpers.js';

interface Certificates {
  /** The signing certificate, then the root: what a site configures. */
  chain: string;
  privateKey: string;
  root: string;
  /** A key of the same kind that belongs to no certificate here. */
  strayKey: string;
}

/** A root CA and an ES256 end-entity certificate it issued (digitalSignature, emailProtection and documentSigning). */
function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'c2pa-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ecKey = (name: string) => {
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.sec1`);
    run('pkcs8', '-topk8', '-nocrypt', '-in', `${name}.sec1`, '-out', `${name}.key`);
  };
  try {
    ecKey('root');
    const rootExtensions = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash'];
    run(
      'req',
      '-x509',
      '-new',
      '-key',
      'root.key',
      '-sha256',
      '-days',
      '2',
      '-subj',
      '/CN=Test Root/O=faceswap-elements tests',
      '-out',
      'root.pem',
      ...rootExtensions.flatMap((e) => ['-addext', e]),
    );
    ecKey('signer');
    run('req', '-new', '-key', 'signer.key', '-subj', '/CN=faceswap-elements test signer/O=faceswap-elements tests', '-out', 'signer.csr');
    writeFileSync(
      join(dir, 'signer.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
      ].join('\n'),
    );
    run(
      'x509',
      '-req',
      '-in',
      'signer.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      'signer.ext',
      '-out',
      'signer.pem',
    );
    ecKey('stray');
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    return { chain: read('signer.pem') + read('root.pem'), privateKey: read('signer.key'), root: read('root.pem'), strayKey: read('stray.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

initSync({ module: readFileSync(createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });

interface ManifestReport {
  active_manifest?: string;
  manifests: Record<
    string,
    { claim_generator_info?: { name: string }[]; assertions: { label: string; data: any }[]; signature_info?: { common_name?: string } }
  >;
  validation_state: string;
  validation_status?: { code: string }[];
}

/** What c2pa-rs reports for a PNG, or `null` when it holds no C2PA manifest; `trust` names the root CA it may trust. */
async function readC2pa(png: Uint8Array, trust?: string): Promise<ManifestReport | null> {
  const settings = trust ? JSON.stringify({ verify: { verify_trust: true }, trust: { trust_anchors: trust } }) : undefined;
  let reader: WasmReader;
  try {
    reader = await WasmReader.fromBytes('image/png', png, settings);
  } catch (error) {
    if (String(error).includes('JumbfNotFound')) return null;
    throw error;
  }
  return JSON.parse(reader.json()) as ManifestReport;
}

const activeActions = (report: ManifestReport) =>
  report.manifests[report.active_manifest!]!.assertions.filter((a) => a.label.startsWith('c2pa.actions')).flatMap((a) => a.data.actions);

let pki: Certificates;
let signing: Stack;
let plain: Stack;
let demo: { url: string; stop(): Promise<void> };
let browser: Browser;
let page: Page;
const warnings: string[] = [];
const made: Record<'signed' | 'unmarked' | 'unsigned', { player: string; session: string }> = {} as never;

/** In the page: a session on `endpoint` whose camera is a grey canvas echoed back as the swapped video; both kinds of snapshot. */
async function snapshots(page: Page, endpoint: string, attributes: string): Promise<{ player: string; session: string }> {
  const fakeTransportUrl = `/@fs${fileURLToPath(new URL('../../src/rtc/fake-transport.ts', import.meta.url))}`;
  // Plain JavaScript: the page runs it as written.
  return page.evaluate(`(async (endpoint, source, attributes, fakeTransportUrl) => {
    const { FakeTransport } = await import(fakeTransportUrl);
    const grey = document.createElement('canvas');
    grey.width = 320;
    grey.height = 240;
    const context = grey.getContext('2d');
    const paint = () => { context.fillStyle = 'rgb(128 128 128)'; context.fillRect(0, 0, 320, 240); };
    paint();
    const painter = setInterval(paint, 50);
    const session = document.createElement('faceswap-session');
    session.setAttribute('token-endpoint', endpoint);
    session.platform = {
      getUserMedia: async () => grey.captureStream(20),
      transportFactory: async (engine) => new FakeTransport({ engine, remote: 'echo' }),
    };
    session.source = source;
    session.innerHTML = '<faceswap-player ' + attributes + ' style="width:320px"></faceswap-player>';
    document.body.replaceChildren(session);
    const player = session.querySelector('faceswap-player');
    await session.start();
    const video = () => player.shadowRoot.querySelector('video[part~=video]');
    for (let i = 0; i < 600 && !(session.getAttribute('state') === 'live' && video().videoWidth > 0); i++) await new Promise((r) => setTimeout(r, 50));
    if (session.getAttribute('state') !== 'live') throw new Error('not live: ' + JSON.stringify(session.details.error));
    async function base64(blob) {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    }
    const result = { player: await base64(await player.snapshot()), session: await base64(await session.snapshot()) };
    await session.stop();
    clearInterval(painter);
    return result;
  })(${JSON.stringify(endpoint)}, ${JSON.stringify(SOURCE)}, ${JSON.stringify(attributes)}, ${JSON.stringify(fakeTransportUrl)})`) as Promise<{
    player: string;
    session: string;
  }>;
}

before(async () => {
  pki = makeCertificates();
  demo = await startDemoServer();
  signing = await startStack({ c2pa: { certificate: pki.chain, privateKey: pki.privateKey }, allowedOrigins: [demo.url] });
  plain = await startStack({ allowedOrigins: [demo.url] });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'warn') warnings.push(message.text());
  });
  await page.goto(demo.url, { waitUntil: 'load' });
  made.signed = await snapshots(page, signing.endpoint, 'mark-corner="top-end"');
  made.unmarked = await snapshots(page, signing.endpoint, 'no-file-marks');
  made.unsigned = await snapshots(page, plain.endpoint, '');
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  await signing?.close();
  await plain?.close();
});

const png = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

test(
  'a snapshot made in Chromium is signed by the endpoint: c2pa-rs validates it against the site’s root and finds the AI action',
  { timeout: 60_000 },
  async () => {
    const snapshot = png(made.signed.player);
    const report = (await readC2pa(snapshot, pki.root))!;
    assert.ok(report, `the file holds a C2PA manifest (page warnings: ${warnings.join(' / ') || 'none'})`);
    assert.equal(report.validation_state, 'Trusted', JSON.stringify(report.validation_status));
    const manifest = report.manifests[report.active_manifest!]!;
    assert.equal(manifest.claim_generator_info?.[0]?.name, 'faceswap-elements');
    assert.equal(manifest.signature_info?.common_name, 'faceswap-elements test signer');
    assert.deepEqual(activeActions(report), [
      { action: 'c2pa.created', digitalSourceType: AI_DIGITAL_SOURCE_TYPE, softwareAgent: { name: 'faceswap-elements' } },
    ]);
    // Without the site's root among its trust anchors the reader still checks the signature, and says whose it is.
    const untrusted = (await readC2pa(snapshot))!;
    assert.equal(untrusted.validation_state, 'Valid');
    assert.ok(untrusted.validation_status?.some((status) => status.code === 'signingCredential.untrusted'));
    // ExifTool sees both marks: the XMP the browser wrote (covered by the manifest's hash) and the manifest's action.
    const tags = exiftool(snapshot, 'png');
    assert.equal(tags['XMP-iptcExt:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
    assert.equal(tags['CBOR:ActionsDigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
    assert.equal(tags['ExifTool:Warning'], undefined);
    assert.equal(
      warnings.find((text) => text.includes('C2PA')),
      undefined,
    );
  },
);

test('<faceswap-session>.snapshot() is signed the same way', { timeout: 60_000 }, async () => {
  const report = (await readC2pa(png(made.signed.session), pki.root))!;
  assert.equal(report?.validation_state, 'Trusted');
  assert.equal(activeActions(report)[0].digitalSourceType, AI_DIGITAL_SOURCE_TYPE);
});

test(
  'negative controls: no-file-marks is neither marked nor signed; an endpoint without a certificate leaves the XMP marks only',
  { timeout: 60_000 },
  async () => {
    const unmarked = png(made.unmarked.player);
    assert.equal(await readC2pa(unmarked), null);
    assert.equal(exiftool(unmarked, 'png')['XMP-iptcExt:DigitalSourceType'], undefined);
    for (const file of [made.unsigned.player, made.unsigned.session]) {
      assert.equal(await readC2pa(png(file)), null, 'no manifest');
      assert.equal(exiftool(png(file), 'png')['XMP-iptcExt:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE, 'the XMP marks stay');
    }
  },
);

test('a signed snapshot with one changed pixel byte fails validation', async () => {
  const tampered = png(made.signed.player);
  const idat = Buffer.from(tampered).indexOf('IDAT');
  tampered[idat + 40] ^= 0x01;
  const report = (await readC2pa(tampered, pki.root))!;
  assert.equal(report.validation_state, 'Invalid');
  assert.ok(report.validation_status?.some((status) => status.code === 'assertion.dataHash.mismatch'));
});

/** A session on `stack` for the route tests below (created straight on the endpoint, no browser). */
async function openSession(stack: Stack): Promise<{ id: string; key: string; grant: any }> {
  const grant = await post(`${stack.endpoint}/sessions`, { source: SOURCE });
  assert.equal(grant.status, 200, grant.text);
  return { id: grant.json.sessionId, key: grant.json.sessionKey, grant: grant.json };
}

test('the route keeps the session rules: the grant announces it, a wrong key is refused, a closed session too, oversize and non-images are refused', async () => {
  const unsigned = png(made.unsigned.player);
  const session = await openSession(signing);
  assert.equal(session.grant.c2pa, true);
  assert.equal((await openSession(plain)).grant.c2pa, undefined);
  const sign = (stack: Stack, body: unknown) => post(`${stack.endpoint}/sessions/${session.id}/sign`, body);
  assert.equal((await sign(signing, { sessionKey: 'x'.repeat(43), image: dataUrl(unsigned, 'image/png') })).json.error.code, 'forbidden');
  assert.equal((await sign(signing, { sessionKey: session.key, image: 'data:image/gif;base64,R0lGODlh' })).json.error.code, 'bad-request');
  assert.equal(
    (await sign(signing, { sessionKey: session.key, image: dataUrl(new TextEncoder().encode('not a png at all'), 'image/png') })).json.error.code,
    'bad-request',
  );
  const ok = await sign(signing, { sessionKey: session.key, image: dataUrl(unsigned, 'image/png') });
  assert.equal(ok.status, 200);
  assert.equal((await readC2pa(png(ok.json.image.split(',')[1])))?.validation_state, 'Valid');
  assert.equal((await post(`${plain.endpoint}/sessions/${session.id}/sign`, { sessionKey: session.key, image: dataUrl(unsigned, 'image/png') })).status, 404);
  await post(`${signing.endpoint}/sessions/${session.id}/close`, { sessionKey: session.key });
  assert.equal((await sign(signing, { sessionKey: session.key, image: dataUrl(unsigned, 'image/png') })).json.error.code, 'conflict');
  const small = await startStack({
    c2pa: { certificate: pki.chain, privateKey: pki.privateKey },
    maxImageBytes: 1000,
    signLimit: { max: 1, windowMs: 60_000 },
  });
  try {
    const other = await openSession(small);
    const signSmall = (image: Uint8Array) => post(`${small.endpoint}/sessions/${other.id}/sign`, { sessionKey: other.key, image: dataUrl(image, 'image/png') });
    assert.equal((await signSmall(unsigned)).status, 413);
    const tiny = png('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==');
    assert.equal((await signSmall(tiny)).status, 200);
    const limited = await signSmall(tiny);
    assert.equal(limited.status, 429, 'the per-session signing budget');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  } finally {
    await small.close();
  }
});

test('a private key that does not belong to the certificate is refused with one logged reason, and signs nothing', async () => {
  const logged: string[] = [];
  const wrong = await startStack({
    c2pa: { certificate: pki.chain, privateKey: pki.strayKey },
    logger: { warn: () => {}, error: (message: string) => logged.push(message) },
  });
  try {
    const session = await openSession(wrong);
    for (let i = 0; i < 2; i++) {
      const answer = await post(`${wrong.endpoint}/sessions/${session.id}/sign`, {
        sessionKey: session.key,
        image: dataUrl(png(made.unsigned.player), 'image/png'),
      });
      assert.equal(answer.status, 502);
      assert.doesNotMatch(answer.text, /PRIVATE KEY|BEGIN/);
    }
    assert.equal(logged.filter((line) => line.includes('does not belong to the first certificate')).length, 1, logged.join('\n'));
  } finally {
    await wrong.close();
  }
});
