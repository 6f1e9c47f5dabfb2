export { ErrorText, useErrorTextColor } from './ErrorText';
