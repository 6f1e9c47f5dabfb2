export { BuildLogPanel } from './BuildLogPanel';
