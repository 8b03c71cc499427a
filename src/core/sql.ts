/**
 * A composable SQL fragment: text with $n placeholders numbered when the whole statement is built.
 * Values never enter the text, so fragments from the row-scoping helpers compose safely with finders.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** Builds the statement: the text with numbered placeholders and its parameters. */
  build(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.render(values);
    return { text, values };
  }

  private render(values: unknown[]): string {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) {
      const value = this.values[i];
      if (value instanceof Sql) text += value.render(values);
      else {
        values.push(value);
        text += `$${values.length}`;
      }
      text += this.strings[i + 1];
    }
    return text;
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text (identifiers, keywords chosen by the code, never user input). */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

export function join(parts: Sql[], separator: string): Sql {
  if (parts.length === 0) return raw('');
  const strings = [''];
  for (let i = 1; i < parts.length; i++) strings.push(separator);
  strings.push('');
  return new Sql(strings, parts);
}

export const and = (parts: Sql[]): Sql => (parts.length ? sql`(${join(parts, ' AND ')})` : raw('TRUE'));
export const or = (parts: Sql[]): Sql => (parts.length ? sql`(${join(parts, ' OR ')})` : raw('FALSE'));
