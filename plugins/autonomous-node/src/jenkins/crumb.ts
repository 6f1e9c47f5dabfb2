import { UpstreamError } from '../errors';
import { UpstreamHttp } from '../http';

interface Crumb {
  header: string;
  value: string;
  cookie?: string;
}

/**
 * The CSRF crumb of a Jenkins web session: fetched once, sent back with its session cookie,
 * and fetched again when Jenkins refuses it. Not needed with HTTP basic and an API token.
 */
export class JenkinsCrumbSession {
  private crumb?: Promise<Crumb | undefined>;

  constructor(private readonly http: UpstreamHttp) {}

  /** The headers a POST needs: the crumb and its session cookie (none without CSRF). */
  async headers(): Promise<Record<string, string>> {
    this.crumb ??= this.fetch().catch(e => {
      this.crumb = undefined;
      throw e;
    });
    const crumb = await this.crumb;
    if (!crumb) return {};
    return {
      [crumb.header]: crumb.value,
      ...(crumb.cookie ? { Cookie: crumb.cookie } : {}),
    };
  }

  /** Forgets a refused crumb; true when the error was one, so nothing ran and a retry is safe. */
  forgetIfRefused(error: unknown): boolean {
    if (
      error instanceof UpstreamError &&
      error.status === 403 &&
      /crumb/i.test(error.reason)
    ) {
      this.crumb = undefined;
      return true;
    }
    return false;
  }

  private async fetch(): Promise<Crumb | undefined> {
    const res = await this.http.request({
      method: 'GET',
      path: '/crumbIssuer/api/json',
      operation: 'request of a CSRF crumb',
      // Jenkins without CSRF protection has no crumb issuer.
      acceptStatus: [404],
    });
    if (res.status === 404) return undefined;
    const body = res.json<{ crumbRequestField: string; crumb: string }>();
    // The crumb is tied to the web session: send its cookie back with it.
    const cookie =
      res.headers
        .getSetCookie()
        .map(c => c.split(';')[0].trim())
        .join('; ') || undefined;
    return { header: body.crumbRequestField, value: body.crumb, cookie };
  }
}
