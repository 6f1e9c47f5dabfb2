import { ArgoCdApplication } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { ConfigReader } from '@backstage/config';
import { entityFor } from '../__testUtils__/sandboxProject';
import { projectFromEntity } from './projectFromEntity';
import {
  applicationClaim,
  jobClaims,
  UpstreamBindings,
} from './UpstreamBindings';

function app(
  name: string,
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  },
): ArgoCdApplication {
  return { metadata: { name, ...metadata }, spec: {} } as ArgoCdApplication;
}

const storefront = entityFor('storefront');

describe('UpstreamBindings', () => {
  it('reads the claim from the annotation, which wins over the labels', () => {
    expect(
      applicationClaim(
        app('a', {
          annotations: {
            'autonomous.dev/entity-ref': 'component:default/storefront',
          },
          labels: {
            'autonomous.dev/entity-kind': 'component',
            'autonomous.dev/entity-namespace': 'default',
            'autonomous.dev/entity-name': 'checkout',
          },
        }),
      ),
    ).toBe('component:default/storefront');
    expect(
      applicationClaim(
        app('a', {
          labels: {
            'autonomous.dev/entity-kind': 'system',
            'autonomous.dev/entity-namespace': 'default',
            'autonomous.dev/entity-name': 'payments',
          },
        }),
      ),
    ).toBe('system:default/payments');
    expect(applicationClaim(app('a', {}))).toBeUndefined();
  });

  it('finds the claim line among the lines of a job description', () => {
    const description =
      'Builds the image\nautonomous.dev/entity-ref: component:default/storefront\n';
    expect(jobClaims(description, 'component:default/storefront')).toBe(true);
    expect(jobClaims(description, 'component:default/checkout')).toBe(false);
    expect(jobClaims(null, 'component:default/storefront')).toBe(false);
  });

  it('refuses an unclaimed object, unless autonomous.bindings maps it to the owner', () => {
    const unclaimed = app('payments-api-production', {});
    expect(
      new UpstreamBindings().applicationRefusal(storefront, unclaimed),
    ).toBe(
      "ArgoCD application payments-api-production does not claim component:default/storefront: add the annotation autonomous.dev/entity-ref: component:default/storefront to the Application, or map it to the entity's owner in autonomous.bindings",
    );
    const bindings = UpstreamBindings.fromConfig(
      new ConfigReader({
        autonomous: {
          bindings: [
            {
              owner: 'shop',
              argocdApplications: ['payments-api-production'],
              jenkinsJobs: ['payments/payments-api'],
            },
          ],
        },
      }),
    );
    expect(bindings.applicationRefusal(storefront, unclaimed)).toBeUndefined();
    expect(
      bindings.jobRefusal(storefront, 'payments/payments-api', ''),
    ).toBeUndefined();
    expect(bindings.jobRefusal(storefront, 'payments/ledger', '')).toMatch(
      /^Jenkins job payments\/ledger does not claim component:default\/storefront/,
    );
    const otherOwner = {
      ...storefront,
      spec: { ...storefront.spec, owner: 'group:default/payments' },
    };
    expect(bindings.applicationRefusal(otherOwner, unclaimed)).toMatch(
      /does not claim/,
    );
  });

  it('refuses a binding that names nothing', () => {
    expect(() =>
      UpstreamBindings.fromConfig(
        new ConfigReader({ autonomous: { bindings: [{ owner: 'shop' }] } }),
      ),
    ).toThrow(
      'autonomous.bindings[0] (owner group:default/shop) names no argocdApplications and no jenkinsJobs',
    );
  });
});

describe('environment names', () => {
  it('refuses a project whose environments are not environment names', () => {
    const entity = entityFor('vault');
    entity.metadata.annotations!['autonomous.dev/environments'] =
      'production,!';
    const parsed = projectFromEntity(entity);
    expect(parsed).toEqual({
      ok: false,
      reason:
        'component:default/vault has autonomous.dev/environments with "!", which is not an environment name: use lowercase letters, digits and -, at most 63 characters',
    });
  });
});
