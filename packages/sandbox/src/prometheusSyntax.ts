/**
 * The sandbox's stand-in for PromQL's parser: it finds what a real Prometheus refuses most
 * often in hand-written gates (unbalanced brackets, an unterminated string, a trailing
 * operator) and words it as Prometheus does (`bad_data`).
 */
export function promqlSyntaxError(query: string): string | undefined {
  const trimmed = query.trim();
  if (!trimmed) return 'parse error: no expression found in input';
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const names: Record<string, string> = {
    '(': 'parenthesis',
    '[': 'bracket',
    '{': 'brace',
  };
  const stack: Array<{ ch: string; at: number }> = [];
  let quote: string | undefined;
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch in names) stack.push({ ch, at: i });
    else if (ch in closing) {
      const open = stack.pop();
      if (open?.ch !== closing[ch]) {
        return `1:${i + 1}: parse error: unexpected "${ch}"`;
      }
    }
  }
  if (quote)
    return `1:${trimmed.length}: parse error: unterminated quoted string`;
  const open = stack.pop();
  if (open) {
    return `1:${open.at + 1}: parse error: unclosed left ${names[open.ch]}`;
  }
  if (/[-+*/%^=<>!,]$/.test(trimmed) && !/\bbool$/.test(trimmed)) {
    return `1:${trimmed.length}: parse error: unexpected end of input`;
  }
  return undefined;
}
