/**
 * url: drops documents by the URL they came from: blocked domains and banned words in the URL,
 * with the rules of datatrove's URLFilter (its lists are not shipped: give your own).
 *
 * The URL is the first non-empty string among the dotted paths `field` (default: `metadata.url`,
 * then `url`). A document without one is kept (`missing: keep`, the default) or dropped
 * (`missing: drop`, reason `url_missing`); either way `url_missing` is recorded as true.
 *
 * Rules, in this order; the first that fires is the reason:
 * 1. `url_blocked_domain` (datatrove: `domain`, `subdomain`): the URL's host or one of its parent
 *    domains is listed. Lists: `blocklist_files` (one domain per line; `#` comments; blank lines,
 *    `*.` and `.` prefixes, schemes, paths, ports and hosts-file lines `0.0.0.0 example.com` are
 *    understood; `.gz`/`.zst` files are decompressed) and `domains` (inline). A listed domain blocks
 *    itself and all its subdomains (datatrove blocks the listed registered domain or exact host).
 *    Hosts are compared lowercased, without userinfo, port and trailing dots, IDNs in punycode
 *    (`münchen.de` and `xn--mnchen-3ya.de` are the same domain). One set lookup per host label.
 * 2. `url_banned_word` (datatrove: `hard_blacklisted`): a word of `banned_words` /
 *    `banned_words_files` is one of the URL's words. The URL's words: the whole URL (scheme, host,
 *    path, query), percent-decoded and lowercased, split on everything but letters and digits.
 *    List words are lowercased and stripped of everything but letters and digits, as datatrove
 *    normalizes them (`blow job` -> `blowjob`).
 * 3. `url_soft_banned_words` (datatrove: `soft_blacklisted`): at least
 *    `soft_banned_word_threshold` (default 2) distinct words of `soft_banned_words` /
 *    `soft_banned_words_files` are among the URL's words.
 * 4. `url_banned_subword` (datatrove: `blacklisted_subword`): a word of `banned_subwords` /
 *    `banned_subwords_files` (normalized as above) occurs anywhere in the URL with everything but
 *    letters and digits removed (`big-tits.example` -> `bigtitsexample`).
 * Unlike datatrove, URL words are lowercased and percent-decoded before matching, and letters and
 * digits are Unicode's (datatrove keeps only ASCII ones, so its lists never match other scripts).
 *
 * Metrics: `url_domain` (the host, null without URL or host), `url_missing`, `url_match` (the list
 * entry that fired: domain, word or subword; null when kept), `url_soft_words` (distinct soft
 * words in the URL; only when a soft list is given).
 * List files are read once per worker; a missing or unreadable file fails the stage with its path.
 */
import { z } from 'zod';
import { getPath, parsePath, type FieldPath } from '../src/core/document.js';
import { defineFilter } from '../src/core/filter.js';
import { DomainSet, normalizeWord, urlHost, urlLetters, urlWords } from '../src/text/url-host.js';
import { readListFile, WordMatcher } from '../src/text/word-lists.js';

const paths = z.array(z.string().min(1)).default([]);
const words = z.array(z.string()).default([]);

/** The normalized words of an inline list and of list files. */
function loadWords(inline: readonly string[], files: readonly string[], what: string, resolve: (p: string) => string): Set<string> {
  const out = new Set<string>();
  const add = (w: string): void => {
    const n = normalizeWord(w);
    if (n !== '') out.add(n);
  };
  inline.forEach(add);
  for (const f of files) readListFile(resolve(f), what).forEach(add);
  return out;
}

/** URLs are looked at up to this length (browsers and servers stop far below it). */
const MAX_URL_CHARS = 65_536;

export default defineFilter({
  type: 'url',
  summary: 'drop documents whose URL has a blocked domain or banned words (datatrove URLFilter rules)',
  options: z.strictObject({
    field: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default(['metadata.url', 'url']),
    blocklist_files: paths,
    domains: words,
    banned_words: words,
    banned_words_files: paths,
    soft_banned_words: words,
    soft_banned_words_files: paths,
    soft_banned_word_threshold: z.number().int().min(1).default(2),
    banned_subwords: words,
    banned_subwords_files: paths,
    missing: z.enum(['keep', 'drop']).default('keep'),
  }),
  create(o, ctx) {
    const fields: FieldPath[] = [o.field].flat().map(parsePath);
    const blocked = new DomainSet();
    for (const d of o.domains) blocked.add(d);
    for (const f of o.blocklist_files) {
      const file = ctx.resolvePath(f);
      for (const line of readListFile(file, `url: blocklist_files`)) blocked.add(line);
    }
    const banned = loadWords(o.banned_words, o.banned_words_files, 'url: banned_words_files', ctx.resolvePath);
    const soft = loadWords(o.soft_banned_words, o.soft_banned_words_files, 'url: soft_banned_words_files', ctx.resolvePath);
    const subwords = new WordMatcher(loadWords(o.banned_subwords, o.banned_subwords_files, 'url: banned_subwords_files', ctx.resolvePath));
    const needWords = banned.size > 0 || soft.size > 0;

    return {
      check(doc, m) {
        let url: string | undefined;
        for (const p of fields) {
          const v = getPath(doc.record, p);
          if (typeof v === 'string' && v.trim() !== '') {
            // No real URL is this long; a field holding megabytes is judged by its start.
            url = v.length > MAX_URL_CHARS ? v.slice(0, MAX_URL_CHARS) : v;
            break;
          }
        }
        m.url_missing = url === undefined;
        m.url_match = null;
        if (soft.size > 0) m.url_soft_words = null;
        if (url === undefined) {
          m.url_domain = null;
          return o.missing === 'drop' ? 'url_missing' : undefined;
        }
        const host = urlHost(url);
        m.url_domain = host;

        const domain = host === null || blocked.size === 0 ? undefined : blocked.match(host);
        if (domain !== undefined) {
          m.url_match = domain;
          return 'url_blocked_domain';
        }
        if (needWords) {
          const tokens = urlWords(url);
          for (const t of tokens) {
            if (banned.has(t)) {
              m.url_match = t;
              return 'url_banned_word';
            }
          }
          if (soft.size > 0) {
            const found: string[] = [];
            for (const t of tokens) if (soft.has(t)) found.push(t);
            m.url_soft_words = found.length;
            if (found.length >= o.soft_banned_word_threshold) {
              m.url_match = found.join(' ');
              return 'url_soft_banned_words';
            }
          }
        }
        if (subwords.words.length > 0) {
          const hit = subwords.find(urlLetters(url));
          if (hit !== undefined) {
            m.url_match = hit;
            return 'url_banned_subword';
          }
        }
        return undefined;
      },
    };
  },
});
