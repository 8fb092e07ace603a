/**
 * c4_badwords: drops documents that contain a word of a bad-words list in their language, as C4
 * did with the "List of Dirty, Naughty, Obscene, and Otherwise Bad Words" and as datatrove's
 * C4BadWordsFilter does per language.
 *
 * The lists are not shipped: `lists` maps each language to a word-list file (one word or phrase
 * per line; blank lines and lines starting with `#` skipped; `.gz`/`.zst` decompressed), resolved
 * against the config's folder, e.g. the per-language files of
 * github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words (C4 and datatrove use
 * its `en` file and the files named by language code). Lists are read once per worker; a missing,
 * unreadable or empty file fails the stage with its path.
 *
 * A document's language is the string at `language_field` (dotted path, default
 * `metadata.language`; a language stage's `lang` metric is not visible to later stages, so write
 * the language into the record upstream), or `default_language` (default `en`) when that is not a
 * non-empty string. Its list is `lists[language]`, else the list of its lowercased form, else of
 * its primary subtag (`zh-Hans`, `zh_TW` -> `zh`). A document whose language has no list is kept
 * (`badwords_count` null; datatrove raises an error unless told not to).
 *
 * Matching (as datatrove): the text is lowercased (list words too); in `substring_languages`
 * (default `ja`, `th`, `zh`: written without spaces) a word matches anywhere; in the others only
 * when the characters before and after it are not word characters (letters, digits, `_`, as
 * Python's `\W`; start and end of text count as boundaries), so `ass` does not match `class`.
 * `allowlist` removes words from a language's list (default datatrove's: `ja` sm, グロ, 女の子;
 * `zh` 性, words that are common parts of ordinary words in those languages).
 *
 * A flagged document is still kept when its draw `unitHash(id, seed)` is below `keep_fraction`
 * (default 0): the same documents on every run (datatrove draws from a seeded generator instead,
 * so its choice depends on document order).
 *
 * Metrics: `badwords_lang` (the language used), `badwords_count` (occurrences of list words;
 * overlapping occurrences of different words each count; null without a list), `badwords_first`
 * (the word that occurs first; null when none).
 * Reason: `document_removed_with_badwords`.
 */
import { z } from 'zod';
import { getPath, parsePath } from '../src/core/document.js';
import { defineFilter } from '../src/core/filter.js';
import { unitHash } from '../src/text/hash.js';
import { codePointBefore } from '../src/text/python.js';
import { readListFile, WordMatcher } from '../src/text/word-lists.js';

export const DATATROVE_ALLOWLIST: Readonly<Record<string, readonly string[]>> = { ja: ['sm', 'グロ', '女の子'], zh: ['性'] };

const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

/** Python's `\w` for one code point: letters, digits (all Unicode numbers) and `_`. */
function isWordChar(cp: number): boolean {
  if (cp < 0) return false;
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

interface BadWords {
  language: string;
  matcher: WordMatcher;
  substrings: boolean;
}

interface Found {
  count: number;
  first: string | null;
}

function findBadWords(list: BadWords, text: string): Found {
  const lower = text.toLowerCase();
  let count = 0;
  let firstStart = Infinity;
  let first: string | null = null;
  list.matcher.scan(lower, (start, end, w) => {
    if (!list.substrings && (isWordChar(codePointBefore(lower, start)) || isWordChar(lower.codePointAt(end) ?? -1))) return;
    count++;
    // the first word is the occurrence that starts first (the longest of those starting together)
    if (start < firstStart || (start === firstStart && list.matcher.words[w]!.length > first!.length)) {
      firstStart = start;
      first = list.matcher.words[w]!;
    }
  });
  return { count, first };
}

/** Languages seen in documents -> their list; bounded so odd metadata cannot grow it forever. */
const MAX_CACHED_LANGUAGES = 4096;

export default defineFilter({
  type: 'c4_badwords',
  summary: 'drop documents containing words of a per-language bad-words list (C4, datatrove C4BadWordsFilter)',
  options: z.strictObject({
    lists: z.record(z.string().min(1), z.string().min(1)).refine((r) => Object.keys(r).length > 0, 'give at least one list'),
    language_field: z.string().min(1).default('metadata.language'),
    default_language: z.string().min(1).default('en'),
    keep_fraction: z.number().min(0).max(1).default(0),
    seed: z.number().int().default(0),
    substring_languages: z.array(z.string().min(1)).default(['ja', 'th', 'zh']),
    allowlist: z.record(z.string(), z.array(z.string())).default(() => ({ ja: [...DATATROVE_ALLOWLIST.ja!], zh: [...DATATROVE_ALLOWLIST.zh!] })),
  }),
  create(o, ctx) {
    const substringLanguages = new Set(o.substring_languages.map((l) => l.toLowerCase()));
    const lists = new Map<string, BadWords>();
    for (const [language, file] of Object.entries(o.lists)) {
      const primary = language.toLowerCase().split(/[-_]/)[0]!;
      const allowed = new Set((o.allowlist[language] ?? o.allowlist[primary] ?? []).map((w) => w.toLowerCase()));
      const entries = readListFile(ctx.resolvePath(file), `c4_badwords: list of "${language}"`)
        .map((w) => w.toLowerCase())
        .filter((w) => !allowed.has(w));
      lists.set(language, {
        language,
        matcher: new WordMatcher(entries),
        substrings: substringLanguages.has(language.toLowerCase()) || substringLanguages.has(primary),
      });
    }
    const byLower = new Map([...lists.values()].map((l) => [l.language.toLowerCase(), l]));
    const resolved = new Map<string, BadWords | null>();
    const listFor = (language: string): BadWords | null => {
      let list = resolved.get(language);
      if (list !== undefined) return list;
      const lower = language.toLowerCase();
      list = lists.get(language) ?? byLower.get(lower) ?? byLower.get(lower.split(/[-_]/)[0]!) ?? null;
      if (resolved.size < MAX_CACHED_LANGUAGES) resolved.set(language, list);
      return list;
    };
    const languagePath = parsePath(o.language_field);

    return {
      check(doc, m) {
        const v = getPath(doc.record, languagePath);
        const language = typeof v === 'string' && v.trim() !== '' ? v.trim() : o.default_language;
        const list = listFor(language);
        m.badwords_lang = list?.language ?? language;
        if (list === null) {
          m.badwords_count = null;
          m.badwords_first = null;
          return undefined;
        }
        const found = findBadWords(list, doc.text);
        m.badwords_count = found.count;
        m.badwords_first = found.first;
        if (found.count === 0) return undefined;
        if (o.keep_fraction > 0 && unitHash(doc.id, o.seed) < o.keep_fraction) return undefined;
        return 'document_removed_with_badwords';
      },
    };
  },
});
