/**
 * pii: finds personal data (Dolma-style PII handling) and masks it or drops the document.
 *
 * Kinds (`kinds`, default all three):
 * - `email`: e-mail addresses (`jane.doe@example.co.uk`), masked as `|||EMAIL_ADDRESS|||`
 * - `phone`: phone numbers (`(555) 123-4567`, `555.123.4567`, `+1 555 123 4567`,
 *   `+44 20 7946 0958`), masked as `|||PHONE_NUMBER|||`
 * - `ip`: IPv4 (`192.168.0.1`) and IPv6 addresses, full and compressed (`2001:db8::1`,
 *   `::ffff:192.0.2.1`), masked as `|||IP_ADDRESS|||`
 * The placeholders are those Dolma's PII masking writes (and the OLMo tokenizers know); only the
 * address itself is replaced, not the spaces or punctuation around it. What counts as a match,
 * and what deliberately does not (bare 10-digit numbers, dates, prices, versions, `::1`), is
 * described in `src/text/pii-patterns.ts`. Known ambiguity: a bare dotted quad such as `1.2.3.4`
 * is masked as an IPv4 address; after a letter (`v1.2.3.4`), after the word version, ver, v,
 * release, build or rev, or after a version specifier (`pkg==1.2.3.4`, `^1.2.3.4`) it is read as a
 * version number and kept.
 *
 * Options:
 * - `action`: `mask` (default) replaces every match, through `doc.mapText`, so each chat message
 *   (each text segment) is masked in its own place; `drop` leaves the text alone and drops the
 *   document when it has more than `max_matches` matches (default 0: any match drops it).
 * - `kinds`: the kinds to look for (default `[email, phone, ip]`).
 * - `max_matches`: drop a document with more matches than this (all kinds together). With `mask`
 *   it is off unless set; a document at or below it is masked.
 *
 * Metrics: `pii_email`, `pii_phone`, `pii_ip`: the number of matches of each kind looked for
 * (kinds not in `kinds` are not recorded).
 * Reason: `too_much_pii`.
 *
 * Empty or whitespace-only text has no matches. Each pattern runs in linear time on any input.
 */
import { z } from 'zod';
import { defineFilter, type Metrics } from '../src/core/filter.js';
import { maskPii, type PiiCounts, type PiiKind } from '../src/text/pii-patterns.js';

const KINDS = ['email', 'phone', 'ip'] as const;

function record(m: Metrics, kinds: ReadonlySet<PiiKind>, c: PiiCounts): number {
  let total = 0;
  for (const k of KINDS) {
    if (!kinds.has(k)) continue;
    m[`pii_${k}`] = c[k];
    total += c[k];
  }
  return total;
}

export default defineFilter({
  type: 'pii',
  summary: 'mask e-mail addresses, phone numbers and IP addresses (Dolma placeholders) or drop documents with them',
  options: z.strictObject({
    action: z.enum(['mask', 'drop']).default('mask'),
    kinds: z
      .array(z.enum(KINDS))
      .min(1)
      .default([...KINDS]),
    max_matches: z.number().int().nonnegative().optional(),
  }),
  create(o) {
    const kinds = new Set<PiiKind>(o.kinds);
    const limit = o.max_matches ?? (o.action === 'drop' ? 0 : undefined);
    return {
      check(doc, m) {
        const counts: PiiCounts = { email: 0, phone: 0, ip: 0 };
        if (o.action === 'mask' && limit === undefined) {
          // one pass: mask each segment and count what was masked
          doc.mapText((text) => maskPii(text, kinds, counts));
          record(m, kinds, counts);
          return undefined;
        }
        // count first (segments are joined by a blank line, which no match crosses)
        maskPii(doc.text, kinds, counts);
        const total = record(m, kinds, counts);
        if (limit !== undefined && total > limit) return 'too_much_pii';
        if (o.action === 'mask' && total > 0) doc.mapText((text) => maskPii(text, kinds, { email: 0, phone: 0, ip: 0 }));
        return undefined;
      },
    };
  },
});
