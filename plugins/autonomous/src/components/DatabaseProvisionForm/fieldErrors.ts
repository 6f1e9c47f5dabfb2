/**
 * The backend's 400 message split by field ("schedule: not a cron expression; retentionCount:
 * …" → { schedule, retentionCount }); what names no known field goes under `form`. The
 * message already lost its "invalid body:" prefix (errorMessage).
 */
export function fieldErrors(
  message: string,
  fields: string[] = ['engine', 'version', 'storageGi', 'name', 'mode'],
): Record<string, string> {
  const result: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of message.split('; ')) {
    const match = /^([A-Za-z]+): (.+)$/.exec(part);
    if (match && fields.includes(match[1])) {
      result[match[1]] = sentence(match[2]);
    } else {
      rest.push(part);
    }
  }
  if (rest.length) {
    result.form = rest.join('; ');
  }
  return result;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
