/**
 * Builds an Agora AccessToken2 (`007` + base64(zlib(signature, app id, times, services))), the format AKOOL's
 * `front_rtc_token` has, signed with the emulator's own throwaway certificate. Code that reads the App ID
 * out of a token (when `app_id` is empty) can then be tested against the emulator as against AKOOL.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** Agora RTC privileges: join channel, publish audio, publish video, publish data stream. */
const RTC_PRIVILEGES = [1, 2, 3, 4] as const;
const SERVICE_RTC = 1;

class ByteWriter {
  private readonly parts: Buffer[] = [];
  u16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value);
    this.parts.push(b);
    return this;
  }
  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    this.parts.push(b);
    return this;
  }
  bytes(value: Buffer | string): this {
    const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.u16(b.length);
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface RtcTokenInput {
  appId: string;
  appCertificate: string;
  channel: string;
  uid: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  /** Lifetime in seconds (AKOOL's tokens: 3600). */
  expireSeconds: number;
}

export function buildRtcToken(input: RtcTokenInput): string {
  const salt = randomBytes(4).readUInt32LE() || 1;
  const service = new ByteWriter().u16(SERVICE_RTC).u16(RTC_PRIVILEGES.length);
  for (const privilege of RTC_PRIVILEGES) service.u16(privilege).u32(input.expireSeconds);
  service.bytes(input.channel).bytes(input.uid);
  const signingInfo = Buffer.concat([new ByteWriter().bytes(input.appId).u32(input.issuedAt).u32(input.expireSeconds).u32(salt).u16(1).done(), service.done()]);
  const issuedKey = hmac(new ByteWriter().u32(input.issuedAt).done(), Buffer.from(input.appCertificate, 'utf8'));
  const signingKey = hmac(new ByteWriter().u32(salt).done(), issuedKey);
  const signature = hmac(signingKey, signingInfo);
  return '007' + deflateSync(Buffer.concat([new ByteWriter().bytes(signature).done(), signingInfo])).toString('base64');
}

function hmac(key: Buffer, message: Buffer): Buffer {
  return createHmac('sha256', key).update(message).digest();
}
