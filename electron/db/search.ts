import type { Knex } from 'knex';
import { foldForSearch } from '../../shared/text';

/** LIKE pattern for "contains", with the wildcards in the user's text escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Case- and accent-insensitive search on a column that holds `foldForSearch` text:
 * every word of the query must appear, in any order ("Doe, Jane" finds "Jane Doe").
 * Portable SQL: the folding happens in JavaScript on write and on query.
 */
export function whereFoldedContainsAll(query: Knex.QueryBuilder, column: string, text: string): Knex.QueryBuilder {
  const words = foldForSearch(text)
    .split(/[\s,;]+/u)
    .filter((w) => w.length > 0);
  for (const word of words) query.whereRaw(`${column} LIKE ? ESCAPE '\\'`, [containsPattern(word)]);
  return query;
}
