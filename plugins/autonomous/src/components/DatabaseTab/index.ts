export { DatabaseContent, currentInstance } from './DatabaseTab';
export { isDatabaseResource } from './isDatabaseResource';
