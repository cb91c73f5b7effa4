import type { Knex } from 'knex';
import { foldForSearch } from '../../shared/text';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** LIKE pattern for "contains", with the wildcards in the user's text escaped. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** LIKE pattern for "starts with", with the wildcards in the user's text escaped. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

/** A name's folded words between single spaces, with a space at each end: `" jurgen muller "`. */
export function nameWords(displayName: string): string {
  const words = foldForSearch(displayName).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words ? ` ${words} ` : '';
}

/** Every word of the query is a whole word of the name (in any order): no prefix, no substring. */
export function whereNameHasWords(query: Knex.QueryBuilder, column: string, text: string): Knex.QueryBuilder {
  const words = nameWords(text).trim().split(' ').filter((w) => w.length > 0);
  if (words.length === 0) return query.whereRaw('1 = 0');
  for (const word of words) query.whereRaw(`${column} LIKE ? ESCAPE '\\'`, [containsPattern(` ${word} `)]);
  return query;
}
