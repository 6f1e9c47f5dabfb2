import { promises as fs } from 'node:fs';
import NodeVault from 'node-vault';
import { VaultInstanceConfig } from '../config';
import { UpstreamClientOptions, httpOptions } from '../clientOptions';
import { UpstreamError, reasonFromBody, scrubSecrets } from '../errors';
import { callWithRetries } from '../http';
import { encodePathSegments } from '../pathSegment';

/** A KV v2 secret as read. @public */
export interface VaultSecret {
  data: Record<string, string>;
  metadata: { version: number; created_time?: string; deletion_time?: string };
}

/** @public */
export interface VaultSecretMetadata {
  current_version: number;
  oldest_version?: number;
  created_time?: string;
  updated_time?: string;
  versions?: Record<
    string,
    { created_time?: string; deletion_time?: string; destroyed?: boolean }
  >;
  custom_metadata?: Record<string, string> | null;
}

/** @public */
export interface VaultClientOptions extends UpstreamClientOptions {
  /** Reads the service account JWT for Kubernetes auth; default reads `serviceAccountTokenPath`. */
  readServiceAccountToken?: () => Promise<string>;
  now?: () => number;
}

interface TokenState {
  /** Undefined: never expires (or unknown). */
  expiresAt?: number;
  ttlMs?: number;
  renewable: boolean;
}

const enc = (path: string) =>
  encodePathSegments(path, 'the Vault secret path').join('/');

/**
 * Vault KV v2 through node-vault, with token auth or Kubernetes auth and token renewal
 * before expiry. Secret values are never cached and never logged.
 *
 * @public
 */
export class VaultClient {
  private readonly vault: NodeVault.client;
  private readonly now: () => number;
  private token?: TokenState;
  private tokenReady?: Promise<void>;

  constructor(
    private readonly instance: VaultInstanceConfig,
    private readonly options: VaultClientOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const { timeoutMs } = httpOptions(options);
    this.vault = NodeVault({
      endpoint: instance.url,
      token: instance.token,
      // node-vault's own debug output prints the data of every write.
      debug: () => {},
      // LIST is not an HTTP method every proxy passes; GET ?list=true is the documented form.
      noCustomHTTPVerbs: true,
      requestOptions: { timeout: timeoutMs },
    });
    // node-vault falls back to VAULT_TOKEN, VAULT_PREFIX and VAULT_NAMESPACE from the
    // environment; only the configured instance may decide where and as whom we talk.
    this.vault.token = instance.token ?? '';
    (this.vault as any).pathPrefix = '';
    (this.vault as any).namespace = undefined;
  }

  get instanceName(): string {
    return this.instance.name;
  }

  get kvMount(): string {
    return this.instance.kvMount;
  }

  private secrets() {
    return [this.instance.token, this.vault.token];
  }

  private toError(operation: string, error: unknown): UpstreamError {
    const err = error as {
      response?: { statusCode?: number; body?: unknown };
      code?: string;
      message?: string;
    };
    const status = err?.response?.statusCode;
    if (status !== undefined) {
      const body = err.response?.body;
      return new UpstreamError({
        system: 'vault',
        operation,
        status,
        reason: scrubSecrets(
          reasonFromBody(
            typeof body === 'string' ? body : JSON.stringify(body ?? ''),
            `status ${status}`,
          ),
          this.secrets(),
        ),
      });
    }
    const timedOut = err?.code === 'ECONNABORTED' || err?.code === 'ETIMEDOUT';
    // Never keep the library's error as a cause: it carries the request headers.
    return new UpstreamError({
      system: 'vault',
      operation,
      reason: timedOut
        ? `no answer within ${httpOptions(this.options).timeoutMs} ms`
        : `could not reach Vault: ${scrubSecrets(
            err?.code ?? err?.message ?? 'network error',
            this.secrets(),
          )}`,
      retryable: true,
    });
  }

  private call<T>(
    operation: string,
    idempotent: boolean,
    fn: () => Promise<T>,
  ): Promise<T> {
    return callWithRetries(
      async () => {
        await this.ensureToken();
        try {
          return await fn();
        } catch (error) {
          throw this.toError(operation, error);
        }
      },
      { ...httpOptions(this.options), idempotent },
    );
  }

  /** Logs in or renews when the token is missing or in the last third of its life. */
  private async ensureToken(): Promise<void> {
    const state = this.token;
    const fresh =
      state &&
      (state.expiresAt === undefined ||
        state.expiresAt - this.now() > (state.ttlMs ?? 0) / 3);
    if (fresh) return;
    this.tokenReady ??= this.refreshToken().finally(() => {
      this.tokenReady = undefined;
    });
    await this.tokenReady;
  }

  private async refreshToken(): Promise<void> {
    const state = this.token;
    const alive =
      state?.expiresAt !== undefined && state.expiresAt > this.now();
    if (state && alive && state.renewable) {
      try {
        // Vault's API wants a body; ask for another lease as long as the last one.
        const res = await this.vault.tokenRenewSelf({
          increment: Math.round((state.ttlMs ?? 0) / 1000),
        });
        this.token = this.stateFrom(
          res?.auth?.lease_duration,
          res?.auth?.renewable,
        );
        return;
      } catch (error) {
        if (!this.instance.kubernetesRole) {
          throw this.toError('renewal of the Vault token', error);
        }
        // fall through: log in again
      }
    }
    if (this.instance.kubernetesRole) {
      await this.kubernetesLogin();
      return;
    }
    if (!state) {
      // A configured token: learn its lifetime once, so it can be renewed in time.
      try {
        const res = await this.vault.tokenLookupSelf();
        this.token = this.stateFrom(res?.data?.ttl, res?.data?.renewable);
      } catch {
        // A token may lack the right to look itself up; use it as it is.
        this.token = { renewable: false };
      }
      return;
    }
    this.token = { renewable: false };
  }

  private stateFrom(ttlSeconds?: number, renewable?: boolean): TokenState {
    if (!ttlSeconds || ttlSeconds <= 0) return { renewable: false };
    const ttlMs = ttlSeconds * 1000;
    return {
      ttlMs,
      expiresAt: this.now() + ttlMs,
      renewable: renewable !== false,
    };
  }

  private async kubernetesLogin(): Promise<void> {
    const operation = `Kubernetes login with role "${this.instance.kubernetesRole}"`;
    let jwt: string;
    try {
      jwt = (
        this.options.readServiceAccountToken
          ? await this.options.readServiceAccountToken()
          : await fs.readFile(this.instance.serviceAccountTokenPath, 'utf8')
      ).trim();
    } catch {
      throw new UpstreamError({
        system: 'vault',
        operation,
        reason: `cannot read the service account token at ${this.instance.serviceAccountTokenPath}`,
        retryable: false,
      });
    }
    try {
      // node-vault's default path is `/auth//login` unless mount_point is given.
      const res = await this.vault.kubernetesLogin({
        role: this.instance.kubernetesRole,
        jwt,
        mount_point: this.instance.kubernetesMountPath,
      });
      this.token = this.stateFrom(
        res?.auth?.lease_duration,
        res?.auth?.renewable,
      );
    } catch (error) {
      throw this.toError(operation, error);
    }
  }

  /** Reads the latest (or a given) version of a secret; undefined when there is none. */
  async readSecret(
    path: string,
    options: { version?: number } = {},
  ): Promise<VaultSecret | undefined> {
    const query = options.version ? `?version=${options.version}` : '';
    const secretPath = enc(path);
    try {
      const res = await this.call(`read of secret "${path}"`, true, () =>
        this.vault.read(`${this.kvMount}/data/${secretPath}${query}`),
      );
      return res?.data as VaultSecret;
    } catch (error) {
      if ((error as UpstreamError).status === 404) return undefined;
      throw error;
    }
  }

  /** Writes a new version; `cas` makes it fail if the current version is not that one. */
  async writeSecret(
    path: string,
    data: Record<string, string>,
    options: { cas?: number } = {},
  ): Promise<{ version: number }> {
    const secretPath = enc(path);
    const res = await this.call(`write of secret "${path}"`, false, () =>
      this.vault.write(`${this.kvMount}/data/${secretPath}`, {
        data,
        ...(options.cas !== undefined ? { options: { cas: options.cas } } : {}),
      }),
    );
    return { version: res?.data?.version };
  }

  /** The keys under a folder (folders end with `/`); empty when there is none. */
  async listSecrets(path = ''): Promise<string[]> {
    const folder = enc(path);
    try {
      const res = await this.call(
        `listing of secrets under "${path}"`,
        true,
        () =>
          this.vault.request({
            path: `/${this.kvMount}/metadata/${
              folder ? `${folder}/` : ''
            }?list=true`,
            method: 'GET',
            timeout: httpOptions(this.options).timeoutMs,
          }),
      );
      return res?.data?.keys ?? [];
    } catch (error) {
      if ((error as UpstreamError).status === 404) return [];
      throw error;
    }
  }

  async readMetadata(path: string): Promise<VaultSecretMetadata | undefined> {
    const secretPath = enc(path);
    try {
      const res = await this.call(
        `read of the metadata of secret "${path}"`,
        true,
        () => this.vault.read(`${this.kvMount}/metadata/${secretPath}`),
      );
      return res?.data as VaultSecretMetadata;
    } catch (error) {
      if ((error as UpstreamError).status === 404) return undefined;
      throw error;
    }
  }

  /** Deletes every version and the metadata of a secret. */
  async deleteSecret(path: string): Promise<void> {
    const secretPath = enc(path);
    await this.call(`deletion of secret "${path}"`, true, () =>
      this.vault.delete(`${this.kvMount}/metadata/${secretPath}`),
    );
  }
}
