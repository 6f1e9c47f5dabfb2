import { InputError } from '@backstage/errors';
import express from 'express';

/** Git hosts cap a delivery at 25 MB; a push's payload is far smaller. */
export const MAX_DELIVERY_BYTES = 5 * 1024 * 1024;

/**
 * The body's exact bytes, which the signature covers: the webhook routes are mounted before
 * the plugin's JSON parser, and this reads the body itself. Larger than the limit: 413.
 */
export function rawDeliveryBody(limit = MAX_DELIVERY_BYTES): express.Handler {
  const raw = express.raw({ type: () => true, limit });
  return (req, res, next) =>
    raw(req, res, error => {
      if ((error as { type?: string })?.type === 'entity.too.large') {
        next(
          Object.assign(
            new Error(
              `the delivery is larger than ${limit} bytes, the most this route reads; a push payload is far smaller`,
            ),
            { name: 'PayloadTooLargeError', statusCode: 413 },
          ),
        );
        return;
      }
      next(error);
    });
}

/**
 * The payload of a delivery: JSON, or GitHub's form encoding (`payload=<JSON>`) when the
 * webhook's content type is application/x-www-form-urlencoded.
 */
export function deliveryPayload(req: express.Request): unknown {
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new InputError('the delivery has no body: send the push payload');
  }
  let text = body.toString('utf8');
  if (req.is('application/x-www-form-urlencoded')) {
    text = new URLSearchParams(text).get('payload') ?? '';
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(
      'the delivery is not JSON: set the webhook content type to application/json',
    );
  }
}
