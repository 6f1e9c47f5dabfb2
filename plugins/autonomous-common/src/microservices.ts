import { Release } from './release';

/**
 * Microservice projects: a System whose Components are services. Each service keeps its own
 * ArgoCD applications and releases; the System is the project people deploy and delete.
 *
 *   GET    /projects/:kind/:namespace/:name/services                             -> ProjectServices
 *   POST   /projects/:kind/:namespace/:name/services/releases DeployServicesRequest -> 201 ReleaseGroup
 *   DELETE /projects/:kind/:namespace/:name            DeleteProjectRequest     -> 200 ProjectDeletion
 */

/** One environment of one service: is it serving, what runs there, where it answers. @public */
export interface ServiceEnvironment {
  environment: string;
  argocdApplication?: string;
  /** Synced, Healthy and every replica on the new image. */
  ready: boolean;
  /** One sentence on readiness, e.g. "Healthy and Synced · 2/2 ready" or why it is not. */
  readiness: string;
  /** ArgoCD's health (`Healthy`, `Progressing`, `Degraded`, `Missing`, …) when it answered. */
  health?: string;
  /** ArgoCD's sync status (`Synced`, `OutOfSync`) when it answered. */
  sync?: string;
  /** The release whose image runs there (or, when the cluster cannot say, the newest healthy one). */
  currentRelease?: Release;
  /** The newest release, whatever its status. */
  lastRelease?: Release;
  domains: string[];
}

/** A service of a project: a Component of the System, or the project's own Component. @public */
export interface ServiceOverview {
  entityRef: string;
  name: string;
  title?: string;
  /** The repository path whose changes release the service (`services/payments-api`). */
  sourcePath?: string;
  environments: ServiceEnvironment[];
}

/** Releases requested together: one per service, in one request. @public */
export interface ReleaseGroup {
  id: string;
  entityRef: string;
  environment: string;
  requestedBy: string;
  reason?: string;
  createdAt: string;
  releases: Release[];
}

/** The project was deleted: its applications are gone, its history stays. @public */
export interface ProjectDeletion {
  entityRef: string;
  deletedBy: string;
  deletedAt: string;
  /** The ArgoCD applications removed. */
  applications: string[];
  /** The services deleted with it (the System's Components), the project itself included. */
  services: string[];
}

/** The answer of `GET …/services`. @public */
export interface ProjectServices {
  entityRef: string;
  kind: 'monolith' | 'microservice';
  services: ServiceOverview[];
  /** The most recent releases requested together, newest first. */
  releaseGroups: ReleaseGroup[];
  deletion?: ProjectDeletion;
}

/** `POST …/services/releases`: one release per named service, to one environment. @public */
export interface DeployServicesRequest {
  environment: string;
  /** Service names (the Components' `metadata.name`), one or more. */
  services: string[];
  ref?: string;
  reason?: string;
}

/** `DELETE /projects/…`: the project's name, typed by the user. @public */
export interface DeleteProjectRequest {
  confirm: string;
}
