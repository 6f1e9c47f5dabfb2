export {
  PrometheusClient,
  type PrometheusInstantResult,
  type PrometheusSample,
} from './PrometheusClient';
