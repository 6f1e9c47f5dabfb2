import { ResponseError } from '@backstage/errors';

/**
 * The reason the backend gave, rather than "Request failed with 500": the backend's message is
 * what tells a user what to fix.
 */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const cause = (error as ResponseError).cause;
    if (cause?.message) {
      return cause.message;
    }
  }
  return error.message;
}
