/** A sync operation, running or finished. */
export interface Operation {
  startedAt: number;
  endsAt: number;
  phase: 'Running' | 'Succeeded' | 'Failed' | 'Error';
  message: string;
  finishedAt?: number;
  initiatedBy: Record<string, unknown>;
  sync: Record<string, unknown>;
  desiredHash: string;
  source: any;
  resources?: any[];
}

/** An Application and what the sandbox keeps about it. */
export interface AppRecord {
  app: any;
  changedAt: number;
  operation?: Operation;
  syncedHash?: string;
  history: any[];
  applied: { plural: string; ns: string; name: string }[];
  /** Every rollout of this application crashes until the control API clears it. */
  stickyDegraded: boolean;
  reconciledAt: number;
  /** Fields changed in the cluster by the control API: the application is OutOfSync until a sync. */
  drift?: DriftedField[];
}

/** A live field that no longer holds what the last sync applied. */
export interface DriftedField {
  plural: string;
  ns: string;
  name: string;
  path: string[];
  desired: unknown;
}

/** An API error: its HTTP status and its gRPC code. */
export class ArgoError extends Error {
  readonly status: number;
  readonly grpc: number;
  constructor(status: number, grpc: number, message: string) {
    super(message);
    this.status = status;
    this.grpc = grpc;
  }
}
