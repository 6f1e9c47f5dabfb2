import { ResponseError } from '@backstage/errors';

/**
 * The reason the backend gave, rather than "Request failed with 500": the backend's message is
 * what tells a user what to fix.
 */
export function errorMessage(error: Error): string {
  let message = error.message;
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const cause = (error as ResponseError).cause;
    if (cause?.message) {
      message = cause.message;
    }
  }
  return plainMessage(message);
}

/**
 * The backend prefixes input errors with where it read them ("invalid body: …"): words for
 * its logs, not for someone filling in a form.
 */
export function plainMessage(message: string): string {
  const plain = message.replace(/^invalid (body|query|params|request): /i, '');
  if (message.startsWith('Failed to fetch') || message === 'Load failed') {
    return 'The portal could not be reached. Check your connection and try again.';
  }
  return plain;
}
