export { DeliveryMetricsCard } from './DeliveryMetricsCard';
export type { DeliveryMetricsCardProps } from './DeliveryMetricsCard';
export { EntityDeliveryMetricsCard } from './EntityDeliveryMetricsCard';
