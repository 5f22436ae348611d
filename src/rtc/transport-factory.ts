import type { EngineName } from '../core/protocol.js';
import type { RtcTransport, TransportOptions } from './transport.js';

/**
 * Loads the transport for an engine on first use. Both imports are dynamic so that neither the Agora SDK
 * nor the in-browser engine is part of the initial bundle.
 */
export async function defaultTransportFactory(engine: EngineName, options: TransportOptions = {}): Promise<RtcTransport> {
  if (engine === 'akool') {
    const { AgoraTransport } = await import('./agora-transport.js');
    return new AgoraTransport(options);
  }
  const { LocalTransport } = await import('./local-transport.js');
  return new LocalTransport(options);
}
