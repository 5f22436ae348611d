// The handler options every server under the conformance suite shares: the suite's billing limits, no reaper timer
// (the suite reaps on cue), no per-address rate limits (its checks come from one address), and the suite's own
// connection as the trusted proxy. Imports only types, so the runtimes' bundles (test/conformance/runtimes/) take it.
import type { FaceswapHandlerOptions } from '../../src/server/index.js';
import type { BudgetLimits } from './suite.js';

export function budgetOptions(limits: BudgetLimits) {
  return {
    trustedProxies: ['127.0.0.1'],
    reaperIntervalMs: 0,
    sessionRateLimit: false,
    detectRateLimit: false,
    maxSessionsPerVisitor: limits.maxSessionsPerVisitor,
    maxSessions: limits.maxSessions,
    sourceUpdateLimit: { max: limits.sourceUpdatesPerMinute, windowMs: 60_000 },
    heartbeatLimit: { max: limits.heartbeatsPerMinute, windowMs: 60_000 },
    maxConcurrentDetects: limits.maxConcurrentDetects,
    upstreamTimeoutMs: limits.upstreamTimeoutMs,
  } satisfies Partial<FaceswapHandlerOptions>;
}
