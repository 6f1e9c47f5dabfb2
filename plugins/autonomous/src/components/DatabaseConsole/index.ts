export { DatabaseConsoleContent } from './DatabaseConsoleContent';
export { DatabaseConsole } from './DatabaseConsole';
