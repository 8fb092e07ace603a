/**
 * Finding and masking personal data in text: e-mail addresses, phone numbers, IPv4 and IPv6
 * addresses. Each match is replaced by the placeholder Dolma's PII masking writes
 * (`|||EMAIL_ADDRESS|||`, `|||PHONE_NUMBER|||`, `|||IP_ADDRESS|||`), which the OLMo tokenizers know
 * as special tokens. A placeholder holds no digit, '@', '.' or ':', so masking twice changes nothing.
 *
 * Everything runs in linear time whatever the input (10 MB of digits, dots, `@` or hex digits and
 * colons take a few times as long as prose, see the tests): every repetition inside a pattern is
 * bounded, and a lookbehind lets a match begin only at the start of a run (not inside a long run
 * of digits, letters or colons), so the work per start position is bounded. E-mail addresses are
 * found from their `@` (the local part by walking back at most 64 characters), IPv6 addresses are
 * tried only at the start of a run of hex digits and colons.
 *
 * E-mail: local part of ASCII letters, digits and `._%+-` (1-64 characters, leading `._%+-` left
 * unmasked), `@`, then 2-16 dot-separated ASCII labels of which the last kept one is the
 * top-level domain: letters only, 2-63 of them, and not a file extension (`logo@2x.png` is an
 * image name, not an address). Labels after the last valid top-level domain stay unmasked
 * (`a@b.com.123` -> `|||EMAIL_ADDRESS|||.123`). A match needs no whitespace around it (Dolma's
 * regex wants whitespace after the address and masks the surrounding punctuation and spaces too;
 * here only the address is replaced).
 *
 * Phone: North American numbers as Dolma's regex finds them (3-3-4 digits), written with
 * separators: `(555) 123-4567`, `555-123-4567`, `555.123.4567`, `555 123 4567`, optionally with
 * `1`/`+1` in front; and international numbers that start with `+`: `+44 20 7946 0958` (groups
 * separated by `-`, `.`, space or in parentheses) or `+14155552671`, with 8-15 digits in all. Not
 * phone numbers: a bare run of 10 digits (timestamps, ids and ISBNs look the same; Dolma masks
 * them), a 3-3-4 group glued to more digits (`12-555-123-4567`, `555-123-4567-8`, inside longer
 * numbers), after a letter (`x555-123-4567`), or, written with spaces only, inside a run of
 * space-separated numbers (`997 998 999 1000 1001`).
 *
 * IPv4: four decimal octets 0-255 without leading zeros (`192.168.0.1`; `01.02.03.04` and
 * `256.1.1.1` are not addresses), not inside a longer dotted number (`1.2.3.4.5`) or glued to a
 * letter or digit. A version string is the known ambiguity: `1.2.3.4` is a valid address. A
 * dotted quad right after a letter (`v1.2.3.4`, `build1.2.3.4`) or after the word version, ver,
 * v, release, build or rev (`version 1.2.3.4`, `v. 10.0.0.1`) or a version specifier (`==`,
 * `>=`, `<=`, `~=`, `!=`, `^`, `~`: `pkg==1.2.3.4`) is read as a version and left alone; any other
 * dotted quad is masked.
 *
 * IPv6: the full form (8 groups) and the compressed forms with `::`, also with an IPv4 tail
 * (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`). A compressed form needs at least 3 groups (counting
 * an IPv4 tail as 2), and every form a decimal digit, so `::1`, `fe80::1` (loopback and
 * link-local, no personal data), code such as `std::cout` or `dead::beef`, and MAC addresses
 * (6 groups) are left alone.
 */

export type PiiKind = 'email' | 'phone' | 'ip';

export const PII_PLACEHOLDERS: Readonly<Record<PiiKind, string>> = {
  email: '|||EMAIL_ADDRESS|||',
  phone: '|||PHONE_NUMBER|||',
  ip: '|||IP_ADDRESS|||',
};

export interface PiiCounts {
  email: number;
  phone: number;
  ip: number;
}

// ---------------------------------------------------------------- e-mail

/**
 * Where an address is: a local-part character, `@`, then labels and a top-level domain of letters
 * not followed by more of a label. The rest of the local part is found by walking back.
 */
const EMAIL_TAIL = /[A-Za-z0-9._%+-]@((?:[A-Za-z0-9-]{1,63}\.){1,15}[A-Za-z]{2,63})(?![A-Za-z0-9-])/g;
const TLD = /^[A-Za-z]{2,63}$/;
/** File extensions that are no top-level domain, seen after `@` in image and asset names. */
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff', 'avif', 'heic',
  'js', 'mjs', 'ts', 'css', 'scss', 'htm', 'html', 'php', 'json', 'xml', 'txt', 'pdf', 'md', 'yaml', 'yml',
]);

/** A character of the local part: ASCII letters, digits and `._%+-`. */
function isLocalChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d
  );
}
function isLocalPunct(c: number): boolean {
  return c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
}

/** Length of the domain up to its last label that is a top-level domain (0: none). */
function emailDomainLength(domain: string): number {
  const labels = domain.split('.');
  let last = labels.length - 1;
  while (last >= 1 && !(TLD.test(labels[last]!) && !FILE_EXTENSIONS.has(labels[last]!.toLowerCase()))) last--;
  if (last < 1) return 0;
  let length = last; // the dots between kept labels
  for (let i = 0; i <= last; i++) {
    const l = labels[i]!;
    if (l.startsWith('-') || l.endsWith('-')) return 0;
    length += l.length;
  }
  return length;
}

/**
 * E-mail addresses, found from each `@`: the local part is the run of local characters before it
 * (at most 64; a longer run is no address), the domain is matched after it.
 */
function maskEmails(text: string, counts: PiiCounts): string {
  let out = '';
  let copied = 0; // text before this offset is in `out` (or masked)
  EMAIL_TAIL.lastIndex = 0;
  for (let m = EMAIL_TAIL.exec(text); m !== null; m = EMAIL_TAIL.exec(text)) {
    const at = m.index + 1;
    let start = m.index;
    const min = Math.max(copied, at - 64);
    while (start > min && isLocalChar(text.charCodeAt(start - 1))) start--;
    if (start > 0 && isLocalChar(text.charCodeAt(start - 1))) continue; // local part over 64, or glued to a match
    while (start < at && isLocalPunct(text.charCodeAt(start))) start++;
    if (start === at) continue;
    const domainLength = emailDomainLength(m[1]!);
    if (domainLength === 0) continue;
    out += text.slice(copied, start) + PII_PLACEHOLDERS.email;
    copied = at + 1 + domainLength;
    counts.email++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---------------------------------------------------------------- IP addresses

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_BODY = `${OCTET}(?:\\.${OCTET}){3}`;
const IPV4 = new RegExp(`(?<![0-9.])(?<![\\p{L}\\p{N}_.])${IPV4_BODY}(?![\\p{L}\\p{N}_]|\\.\\p{N})`, 'gu');
/** Words and version specifiers (`==`, `>=`, `~=`, `^`, `~`) after which a dotted quad is a version. */
const VERSION_BEFORE =
  /(?:(?:^|[^\p{L}\p{N}_])(?:version|ver|v|release|build|rev)\.?:?|[=<>!~]=|[\^~])[ \t\u00a0]{0,2}$/iu;

const H = '[0-9A-Fa-f]{1,4}';
/**
 * The forms with at least 3 groups (an IPv4 tail counts 2): the full form, then `::` after L
 * groups (L = 0..7) followed by enough groups to reach 3 and at most 7 in all.
 */
const IPV6_FORMS = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){6}${IPV4_BODY}`,
  `::[Ff]{4}(?::0{1,4})?:${IPV4_BODY}`,
  `(?:${H}:){1,4}:${IPV4_BODY}`,
  `:(?::${H}){3,7}`,
  `${H}:(?::${H}){2,6}`,
  `(?:${H}:){2}(?::${H}){1,5}`,
  `(?:${H}:){3}(?::${H}){1,4}`,
  `(?:${H}:){4}(?::${H}){1,3}`,
  `(?:${H}:){5}(?::${H}){1,2}`,
  `(?:${H}:){6}:${H}`,
  `(?:${H}:){3,7}:`,
];
/**
 * Tried only at the start of a run of hex digits and colons holding at least 2 colons; the
 * lookbehind keeps it from starting after a letter, digit or colon, and the lookahead wants a
 * decimal digit among the address characters ahead (no personal address lacks one in practice).
 */
const IPV6 = new RegExp(
  `(?<![\\p{L}\\p{N}_:])(?=[0-9A-Fa-f:.]{0,44}\\d)(?:${IPV6_FORMS.join('|')})(?![\\p{L}\\p{N}_]|:[0-9A-Fa-f:]|\\.\\p{N})`,
  'uy',
);

function isIpv6RunChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x3a) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** IPv6 addresses, tried at the start of each run of hex digits and colons with 2 colons or more. */
function maskIpv6(text: string, counts: PiiCounts): string {
  let out = '';
  let copied = 0;
  let next = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', next)) {
    let start = i;
    while (start > next && isIpv6RunChar(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    let colons = 1;
    for (let c = text.charCodeAt(end); end < text.length && isIpv6RunChar(c); c = text.charCodeAt(++end)) {
      if (c === 0x3a) colons++;
    }
    next = end;
    if (colons < 2) continue;
    IPV6.lastIndex = start;
    const m = IPV6.exec(text);
    if (m === null) continue;
    out += text.slice(copied, start) + PII_PLACEHOLDERS.ip;
    copied = start + m[0].length;
    next = Math.max(next, copied);
    counts.ip++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---------------------------------------------------------------- phone numbers

const SEP = '[-. ]';
const NANP = `(?:\\+?1${SEP}?)?(?:\\(\\d{3}\\)${SEP}?|\\d{3}${SEP})\\d{3}${SEP}\\d{4}`;
const INTL_GROUPED = `\\+[1-9]\\d{0,2}(?:${SEP}\\(?\\d{1,5}\\)?|\\(\\d{1,5}\\)){1,6}`;
const INTL_PLAIN = '\\+[1-9]\\d{7,14}';
const PHONE = new RegExp(
  `(?<![\\p{L}\\p{N}_+]|\\p{N}[-.,/])(?:${NANP}|${INTL_GROUPED}|${INTL_PLAIN})(?![\\p{N}_]|[-.,/]\\p{N})`,
  'gu',
);

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) n++;
  }
  return n;
}

const SPACES_ONLY = /^[\d ]+$/;
const NUMBER_BEFORE = /\d $/;
const NUMBER_AFTER = /^ \d/;

/**
 * The checks a pattern cannot make: an international number has 8-15 digits; a number written
 * with spaces only is no phone number inside a run of space-separated numbers (`998 999 1000`).
 */
function isPhoneNumber(m: string, offset: number, whole: string): boolean {
  if (m.charCodeAt(0) === 0x2b /* + */) {
    const n = digitCount(m);
    return n >= 8 && n <= 15;
  }
  if (!SPACES_ONLY.test(m)) return true;
  const end = offset + m.length;
  return !NUMBER_BEFORE.test(whole.slice(Math.max(0, offset - 2), offset)) && !NUMBER_AFTER.test(whole.slice(end, end + 2));
}

// ---------------------------------------------------------------- masking

const HAS_DIGIT = /\d/;

/**
 * Replaces the personal data of the given kinds in `text` by the placeholders and adds the number
 * of replacements to `counts`. Returns `text` itself when nothing was found. Kinds run in the order
 * e-mail, IPv6, IPv4, phone, each over the text the previous ones left.
 */
export function maskPii(text: string, kinds: ReadonlySet<PiiKind>, counts: PiiCounts): string {
  let out = text;
  if (kinds.has('email') && out.includes('@')) {
    out = maskEmails(out, counts);
  }
  if (!HAS_DIGIT.test(out)) return out;
  if (kinds.has('ip')) {
    if (out.includes(':')) {
      out = maskIpv6(out, counts);
    }
    if (out.includes('.')) {
      out = out.replace(IPV4, (m: string, offset: number, whole: string) => {
        if (VERSION_BEFORE.test(whole.slice(Math.max(0, offset - 12), offset))) return m;
        counts.ip++;
        return PII_PLACEHOLDERS.ip;
      });
    }
  }
  if (kinds.has('phone')) {
    out = out.replace(PHONE, (m: string, offset: number, whole: string) => {
      if (!isPhoneNumber(m, offset, whole)) return m;
      counts.phone++;
      return PII_PLACEHOLDERS.phone;
    });
  }
  return out;
}
