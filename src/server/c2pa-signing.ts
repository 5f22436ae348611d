/**
 * Signed C2PA manifests for snapshots (`POST {endpoint}/sessions/{id}/sign`). The manifest's `c2pa.actions`
 * assertion says the picture was created with trained algorithmic media (the IPTC digital source type of
 * src/core/provenance.ts), its data hash binds it to the pixels and the XMP already in the file, and the
 * site's certificate signs it. `@trustnxt/c2pa-ts` (pure TypeScript on WebCrypto) writes it; it and
 * `@peculiar/x509` are optional peer dependencies, loaded when the first snapshot is signed.
 */
import { base64ToBytes } from '../core/base64.js';
import { FaceswapError } from '../core/errors.js';
import { AI_DIGITAL_SOURCE_TYPE, MARKING_TOOL } from '../core/provenance.js';

export interface C2paSigningOptions {
  /**
   * The certificate chain, PEM: the signing certificate first, then its intermediates (the root may be left
   * out). The signing certificate needs an EC (P-256, P-384, P-521) or Ed25519 key, the digitalSignature key
   * usage and an extended key usage C2PA accepts (emailProtection, documentSigning or the C2PA one).
   */
  certificate: string;
  /** The signing certificate's private key, PEM PKCS#8 (`BEGIN PRIVATE KEY`). */
  privateKey: string;
  /** An RFC 3161 time-stamp authority; its time stamp keeps the signature valid after the certificate expires. */
  timestampUrl?: string;
}

export type SignableType = 'image/png' | 'image/jpeg';

/** The COSE algorithm, WebCrypto import and sign parameters of each supported key. */
const ALGORITHMS: Record<string, { cose: 'ES256' | 'ES384' | 'ES512' | 'Ed25519'; key: EcKeyImportParams | Algorithm; sign: EcdsaParams | Algorithm }> = {
  'P-256': { cose: 'ES256', key: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  'P-384': { cose: 'ES384', key: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } },
  'P-521': { cose: 'ES512', key: { name: 'ECDSA', namedCurve: 'P-521' }, sign: { name: 'ECDSA', hash: 'SHA-512' } },
  Ed25519: { cose: 'Ed25519', key: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
};

type Libraries = Awaited<ReturnType<typeof loadLibraries>>;

/**
 * Imports a package by a name bundlers cannot see, so bundling the handler (a Worker, the host templates) never
 * needs the optional signing packages; a site that signs runs where `node_modules` resolves them.
 */
const importByName = (name: string): Promise<unknown> => import(name);

async function loadLibraries() {
  try {
    const names = ['@trustnxt/c2pa-ts/asset', '@trustnxt/c2pa-ts/cose', '@trustnxt/c2pa-ts/manifest', '@trustnxt/c2pa-ts/rfc3161', '@peculiar/x509'];
    const [asset, cose, manifest, rfc3161, x509] = (await Promise.all(names.map(importByName))) as [
      typeof import('@trustnxt/c2pa-ts/asset'),
      typeof import('@trustnxt/c2pa-ts/cose'),
      typeof import('@trustnxt/c2pa-ts/manifest'),
      typeof import('@trustnxt/c2pa-ts/rfc3161'),
      typeof import('@peculiar/x509'),
    ];
    return { asset, cose, manifest, rfc3161, x509 };
  } catch (error) {
    throw new Error('C2PA signing needs the optional packages @trustnxt/c2pa-ts and @peculiar/x509 (npm install @trustnxt/c2pa-ts @peculiar/x509).', {
      cause: error,
    });
  }
}

function pemBlocks(pem: string, label: string): Uint8Array<ArrayBuffer>[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(pattern)].map((match) => base64ToBytes(match[1]!.replace(/\s+/g, '')));
}

/** What signing needs, prepared once: the libraries, the certificates and the key, checked against each other. */
async function prepare(options: C2paSigningOptions) {
  const libraries = await loadLibraries();
  const chain = pemBlocks(options.certificate, 'CERTIFICATE').map((der) => new libraries.x509.X509Certificate(der));
  const [keyDer] = pemBlocks(options.privateKey, 'PRIVATE KEY');
  if (!chain[0] || !keyDer) throw new Error('C2PA signing: `certificate` needs a PEM certificate and `privateKey` a PEM PKCS#8 private key.');
  const publicKey = chain[0].publicKey.algorithm as EcKeyAlgorithm;
  const algorithm = ALGORITHMS[publicKey.namedCurve ?? publicKey.name];
  if (!algorithm) throw new Error(`C2PA signing: the certificate's ${publicKey.name} key is not supported (use EC P-256, P-384, P-521 or Ed25519).`);
  const key = await crypto.subtle.importKey('pkcs8', keyDer, algorithm.key, false, ['sign']);
  // A key that does not belong to the certificate would sign manifests no reader accepts: refuse it now.
  const probe = new TextEncoder().encode('faceswap-elements key check');
  const verifier = await chain[0].publicKey.export(algorithm.key, ['verify']);
  if (!(await crypto.subtle.verify(algorithm.sign, verifier, await crypto.subtle.sign(algorithm.sign, key, probe), probe))) {
    throw new Error('C2PA signing: `privateKey` does not belong to the first certificate of `certificate`.');
  }
  // COSE wants ECDSA signatures as r|s, which WebCrypto returns (c2pa-ts 0.9's own signer DER-encodes them).
  const signer = {
    algorithm: libraries.cose.CoseAlgorithmIdentifier[algorithm.cose],
    certificate: chain[0],
    chainCertificates: chain.slice(1),
    sign: async (payload: Uint8Array) => new Uint8Array(await crypto.subtle.sign(algorithm.sign, key, payload as Uint8Array<ArrayBuffer>)),
  };
  const timestamps = options.timestampUrl ? new libraries.rfc3161.WebTimestampProvider(options.timestampUrl) : undefined;
  return { libraries, signer, timestamps };
}

export class C2paSigner {
  #prepared: ReturnType<typeof prepare> | undefined;

  constructor(
    private readonly options: C2paSigningOptions,
    private readonly logger: Pick<Console, 'error'>,
  ) {}

  /** Starts loading the libraries and checking the key when a session that may sign opens, so its first snapshot does not wait. */
  warmUp(): void {
    this.#ready().catch(() => undefined);
  }

  /** `bytes` with a signed manifest. Throws `bad-request` when the bytes are not a PNG or JPEG of `type`. */
  async sign(bytes: Uint8Array<ArrayBuffer>, type: SignableType): Promise<Uint8Array> {
    const { libraries, signer, timestamps } = await this.#ready();
    return signAsset(libraries, signer, timestamps, bytes, type);
  }

  #ready(): ReturnType<typeof prepare> {
    this.#prepared ??= prepare(this.options).catch((error: unknown) => {
      // Logged once, with the reason; every signing then answers 502 until the configuration is fixed.
      this.logger.error(`faceswap: ${(error as Error).message}`);
      throw new FaceswapError('upstream-error', 'This endpoint cannot sign snapshots: its C2PA signing is misconfigured (see the server log).');
    });
    return this.#prepared;
  }
}

async function signAsset(
  { asset: assets, manifest: manifests }: Libraries,
  signer: Awaited<ReturnType<typeof prepare>>['signer'],
  timestamps: Awaited<ReturnType<typeof prepare>>['timestamps'],
  bytes: Uint8Array<ArrayBuffer>,
  type: SignableType,
): Promise<Uint8Array> {
  const Format = type === 'image/png' ? assets.PNG : assets.JPEG;
  if (!Format.canRead(bytes)) throw new FaceswapError('bad-request', `\`image\` is not a readable ${type === 'image/png' ? 'PNG' : 'JPEG'} image.`);
  let asset: InstanceType<typeof Format>;
  try {
    asset = new Format(bytes);
  } catch {
    throw new FaceswapError('bad-request', '`image` is malformed.');
  }
  const store = new manifests.ManifestStore();
  const manifest = store.createManifest({ assetFormat: type, instanceID: `xmp:iid:${crypto.randomUUID()}`, defaultHashAlgorithm: 'SHA-256', signer });
  manifest.claim!.claimGeneratorName = MARKING_TOOL;
  const actions = new manifests.ActionAssertion();
  actions.actions.push({
    action: manifests.ActionType.C2paCreated,
    digitalSourceType: AI_DIGITAL_SOURCE_TYPE as (typeof actions.actions)[number]['digitalSourceType'],
    softwareAgent: { name: MARKING_TOOL },
  });
  manifest.addAssertion(actions);
  const dataHash = manifests.DataHashAssertion.create('SHA-256');
  manifest.addAssertion(dataHash);
  await asset.ensureManifestSpace(store.measureSize());
  await dataHash.updateWithAsset(asset);
  await manifest.sign(signer, timestamps);
  await asset.writeManifestJUMBF(store.getBytes());
  return asset.getDataRange();
}
