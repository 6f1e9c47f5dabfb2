export { SystemServices } from './SystemServices';
