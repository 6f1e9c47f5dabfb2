/**
 * Typed clients for the engines Autonomous drives — Jenkins, Harbor, ArgoCD, Vault,
 * Kubernetes, Prometheus and Loki — with config readers, one error type and a shared
 * coalescing read cache.
 *
 * @packageDocumentation
 */

export * from './errors';
export {
  encodePathSegment,
  encodePathSegments,
  UnsafePathSegmentError,
} from './pathSegment';
export {
  UpstreamHttp,
  joinUrl,
  type FetchFunction,
  type RetryPolicy,
  type UpstreamHttpOptions,
  type UpstreamRequest,
  type UpstreamResponse,
} from './http';
export * from './config';
export type { UpstreamClientOptions } from './clientOptions';
export * from './cache';
export * from './jenkins';
export * from './argocd';
export * from './harbor';
export * from './vault';
export * from './kubernetes';
export * from './prometheus';
export * from './loki';
export * from './storage';
export * from './UpstreamClients';
