import { Config } from '@backstage/config';
import { DomainSettings } from './ProjectSettingsService';

/** `autonomous.domains`: the ClusterIssuer and Ingress class of custom domains. */
export function readDomainSettings(config: Config): DomainSettings {
  return {
    clusterIssuer:
      config.getOptionalString('autonomous.domains.clusterIssuer') ??
      'letsencrypt',
    ingressClassName:
      config.getOptionalString('autonomous.domains.ingressClassName') ??
      'nginx',
  };
}
