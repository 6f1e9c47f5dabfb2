export {
  LokiClient,
  lokiLabelSelector,
  type LokiLogEntry,
  type LokiQueryRangeOptions,
} from './LokiClient';
