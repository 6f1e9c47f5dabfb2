import type { Response } from 'express';
import type { ResourceType } from './types.ts';

/** An API server error, answered as a `Status` object. */
export class KubeError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  constructor(
    code: number,
    reason: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export function notFound(type: ResourceType, name: string) {
  const qualified = type.group ? `${type.plural}.${type.group}` : type.plural;
  return new KubeError(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  });
}

export function sendError(res: Response, e: unknown) {
  if (e instanceof KubeError) {
    res.status(e.code).json(e.toStatus());
    return;
  }
  res
    .status(500)
    .json(
      new KubeError(
        500,
        'InternalError',
        String((e as Error)?.message ?? e),
      ).toStatus(),
    );
}
