import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useEntityLinks } from '../../hooks/useReleaseLink';
import { DeliveryMetricsCard } from './DeliveryMetricsCard';

/** The project's delivery metrics, on its entity page (Overview). */
export function EntityDeliveryMetricsCard() {
  const { entity } = useEntity();
  const { releaseLink } = useEntityLinks();
  return (
    <DeliveryMetricsCard
      scope={{ entityRef: stringifyEntityRef(entity) }}
      releaseLink={releaseLink}
    />
  );
}
