import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { DomainStatus } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';

const TLS_WORDS: Record<DomainStatus['tls'], string> = {
  ready: 'TLS certificate ready',
  pending: 'TLS certificate being issued',
  failed: 'TLS certificate failed',
  unknown: 'TLS state unknown',
};

const DNS_WORDS: Record<DomainStatus['dns'], string> = {
  ok: 'DNS points at the ingress',
  elsewhere: 'DNS points elsewhere',
  unresolved: 'DNS not set up yet',
  unknown: 'DNS not checked yet',
};

function TlsState({ domain }: { domain: DomainStatus }) {
  const text = TLS_WORDS[domain.tls];
  if (domain.tls === 'ready') return <StatusOK>{text}</StatusOK>;
  if (domain.tls === 'failed') return <StatusError>{text}</StatusError>;
  if (domain.tls === 'pending') return <StatusPending>{text}</StatusPending>;
  return <StatusWarning>{text}</StatusWarning>;
}

/** Each custom domain with whether its certificate is issued and its DNS points here. */
export function DomainList({ domains }: { domains: DomainStatus[] }) {
  if (!domains.length) {
    return (
      <Typography variant="body2">
        No custom domain. Add one below: the portal sets the Ingress host and
        cert-manager issues its certificate.
      </Typography>
    );
  }
  return (
    <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
      {domains.map(domain => (
        <Box component="li" key={domain.host} mb={1} data-domain={domain.host}>
          <Typography variant="body2" style={{ fontWeight: 600 }}>
            {domain.tls === 'ready' ? (
              <a
                href={`https://${domain.host}`}
                target="_blank"
                rel="noreferrer"
              >
                {domain.host}
              </a>
            ) : (
              domain.host
            )}
          </Typography>
          <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
            <Typography
              variant="body2"
              component="span"
              title={domain.tlsMessage}
            >
              <TlsState domain={domain} />
            </Typography>
            <Typography variant="body2" component="span">
              {domain.dns === 'ok' ? (
                <StatusOK>{DNS_WORDS.ok}</StatusOK>
              ) : (
                <StatusWarning>{DNS_WORDS[domain.dns]}</StatusWarning>
              )}
            </Typography>
          </Box>
          {domain.tls !== 'ready' && domain.tlsMessage && (
            <Typography variant="caption" display="block">
              {domain.tlsMessage}
            </Typography>
          )}
          {domain.dnsMessage && (
            <Typography variant="caption" display="block">
              {domain.dnsMessage}
            </Typography>
          )}
        </Box>
      ))}
    </Box>
  );
}
