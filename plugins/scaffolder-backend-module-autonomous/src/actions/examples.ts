import { TemplateExample } from '@backstage/plugin-scaffolder-node';

type Value = string | number | boolean | Value[] | { [key: string]: Value };

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function scalar(value: string | number | boolean): string {
  // JSON strings are YAML double-quoted scalars; plain words stay plain for readability.
  if (
    typeof value === 'string' &&
    (!/^[A-Za-z][\w./:-]*$/.test(value) || value.endsWith(':'))
  ) {
    return JSON.stringify(value);
  }
  if (
    typeof value === 'string' &&
    /^(true|false|null|yes|no|on|off)$/i.test(value)
  ) {
    return JSON.stringify(value);
  }
  return String(value);
}

function lines(value: Value, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(item => {
      const inner = lines(item, `${indent}  `);
      if (typeof item !== 'object') return [`${indent}- ${scalar(item)}`];
      return [`${indent}- ${inner[0].trimStart()}`, ...inner.slice(1)];
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const name = KEY.test(key) ? key : JSON.stringify(key);
      if (typeof item !== 'object')
        return [`${indent}${name}: ${scalar(item)}`];
      return [`${name}:`]
        .map(k => `${indent}${k}`)
        .concat(lines(item, `${indent}  `));
    });
  }
  return [`${indent}${scalar(value)}`];
}

/** One template step as YAML, the way a template author writes it. */
export function stepYaml(step: {
  id: string;
  name: string;
  action: string;
  input: Record<string, Value>;
}): string {
  return `${lines({ steps: [step] }, '').join('\n')}\n`;
}

/** An example: the YAML shown in the action's documentation, and the input a test runs. */
export interface RunnableExample<I> extends TemplateExample {
  input: I;
}

export function example<I extends object>(
  action: string,
  description: string,
  step: { id: string; name: string; input: I },
): RunnableExample<I> {
  return {
    description,
    example: stepYaml({
      id: step.id,
      name: step.name,
      action,
      input: step.input as Record<string, Value>,
    }),
    input: step.input,
  };
}

/** The form the action takes: description and YAML only. */
export function documented(
  examples: ReadonlyArray<TemplateExample>,
): TemplateExample[] {
  return examples.map(({ description, example: yaml }) => ({
    description,
    example: yaml,
  }));
}
