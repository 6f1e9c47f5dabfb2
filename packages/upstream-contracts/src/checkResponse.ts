import { resolveOperation } from './resolveOperation';
import { SchemaSource } from './spec/operation';
import { describeErrors, validatorFor } from './spec/schemaValidators';
import {
  CheckOptions,
  ContractResult,
  RecordedResponse,
  UpstreamSystem,
} from './types';

function responseSchema(
  responses: Record<string, SchemaSource | undefined>,
  status: number,
) {
  const exact = String(status);
  if (exact in responses) return responses[exact];
  const range = `${exact[0]}XX`;
  if (range in responses) return responses[range];
  return responses.default;
}

/**
 * Checks a response body against the schema the specification declares for its status (or
 * `default`). A status without a JSON schema passes.
 */
export function checkResponse(
  system: UpstreamSystem,
  response: RecordedResponse,
  options?: CheckOptions,
): ContractResult {
  const resolved = resolveOperation(
    system,
    response.method,
    response.url,
    options,
  );
  if (!resolved.ok) return resolved;
  const { value } = resolved;
  let firstProblems: string[] | undefined;
  for (const { operation } of value.candidates) {
    const schema = responseSchema(operation.responses, response.status);
    if (!schema) return { ok: true, operation: operation.id };
    let body = response.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // Plain text (logs, XML) is checked as a string.
      }
    }
    if (value.system.responsePayload) body = value.system.responsePayload(body);
    const validate = validatorFor(value.document, schema);
    if (validate(body)) return { ok: true, operation: operation.id };
    firstProblems ??= describeErrors('body', validate.errors).map(
      p => `response ${response.status}: ${p}`,
    );
  }
  return {
    ok: false,
    problems: firstProblems!.map(p => `${value.method} ${value.path}: ${p}`),
  };
}
