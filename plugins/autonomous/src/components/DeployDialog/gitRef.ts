/**
 * What is wrong with a branch or tag name, in words, or undefined when git accepts it. The
 * same rules as the backend's (git check-ref-format), checked before anything is sent so
 * the answer shows on the field while typing.
 */
export function gitRefProblem(value: string): string | undefined {
  const text = value.trim();
  if (!text) {
    return undefined;
  }
  if (/\s/.test(text)) {
    return 'A branch, tag or commit has no spaces.';
  }
  // eslint-disable-next-line no-control-regex
  const forbidden = text.match(/[~^:?*[\\\x00-\x1f\x7f]/);
  if (forbidden) {
    return `A branch or tag name cannot contain “${forbidden[0]}”.`;
  }
  if (text.includes('..')) {
    return 'A branch or tag name cannot contain two dots in a row (“..”).';
  }
  if (text.includes('@{') || text === '@') {
    return 'A branch or tag name cannot be “@” or contain “@{”.';
  }
  if (text.startsWith('-')) {
    return 'A branch or tag name cannot start with “-”.';
  }
  if (text.startsWith('/') || text.endsWith('/') || text.includes('//')) {
    return 'A branch or tag name cannot start or end with “/”, or have two in a row.';
  }
  if (text.endsWith('.') || text.endsWith('.lock')) {
    return 'A branch or tag name cannot end with “.” or “.lock”.';
  }
  if (text.split('/').some(part => part.startsWith('.'))) {
    return 'No part of a branch or tag name can start with “.”.';
  }
  if (text.length > 255) {
    return 'A branch or tag name has at most 255 characters.';
  }
  return undefined;
}

/** Request fields the backend names in its messages ("ref: is not a valid…"). */
export type ReleaseField = 'ref' | 'commitSha' | 'environment' | 'reason';

/**
 * The backend's message for a field of the form, when it is about one ("ref: is not a
 * valid git branch or tag name"), as a sentence for the field; otherwise the message as
 * it is.
 */
export function fieldOfServerMessage(message: string): {
  field?: ReleaseField;
  text: string;
} {
  const match = message.match(/^(ref|commitSha|environment|reason): (.+)$/s);
  if (!match) {
    return { text: message };
  }
  const field = match[1] as ReleaseField;
  const names: Record<ReleaseField, string> = {
    ref: 'This branch or tag name',
    commitSha: 'This commit',
    environment: 'The environment',
    reason: 'The reason',
  };
  const problem = match[2].split('; ')[0].replace(/\.$/, '');
  return { field, text: `${names[field]} ${problem}.` };
}
