export { CopyButton } from './CopyButton';
export {
  databaseStatusWord,
  engineTitle,
  formatBytes,
  isDatabaseInFlight,
  stepTitle,
} from './databaseWords';
