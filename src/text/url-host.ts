/**
 * The parts of a URL the URL filter judges: its host (for domain block lists) and its words (for
 * banned words). Written for the URLs found in crawl metadata, which are not always well formed:
 * nothing here throws, and every function is linear in the length of the URL.
 */
import { domainToASCII } from 'node:url';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const IPV4_HOST = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The host of a URL, lowercased, without scheme, userinfo, port, IPv6 brackets or trailing dots:
 * `https://User:pw@WWW.Example.COM.:8080/x` -> `www.example.com`. A URL without a scheme is read
 * from its start (`example.com/path`). Internationalized names are compared in their ASCII
 * (punycode) form, whichever form the URL gives: `münchen.de` -> `xn--mnchen-3ya.de`. Null when
 * there is no host.
 */
export function urlHost(url: string): string | null {
  let s = url.trim();
  const scheme = SCHEME.exec(s);
  if (scheme !== null) s = s.slice(scheme[0].length);
  else if (s.startsWith('//')) s = s.slice(2);
  let end = 0;
  while (end < s.length) {
    const c = s.charCodeAt(end);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */ || c === 0x5c /* \ */) break;
    end++;
  }
  let host = s.slice(s.lastIndexOf('@', end - 1) + 1, end);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = host.slice(1, close < 0 ? host.length : close);
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  host = host.toLowerCase();
  let a = 0;
  let b = host.length;
  while (a < b && host.charCodeAt(a) === 0x2e) a++;
  while (b > a && host.charCodeAt(b - 1) === 0x2e) b--;
  host = host.slice(a, b);
  if (host === '') return null;
  if (NON_ASCII.test(host)) {
    const ascii = domainToASCII(host);
    if (ascii !== '') host = ascii;
  }
  return host;
}

/** A line that is already a lowercase ASCII domain (the common case in large lists). */
const PLAIN_DOMAIN = /^[a-z0-9][a-z0-9.-]*$/;
const HOSTS_FILE_ADDRESSES = new Set(['0.0.0.0', '127.0.0.1', '::1', '::']);

/**
 * A block-list line as a domain: `example.com`, `*.example.com`, `.example.com`,
 * `https://example.com/`, `example.com:443`, a hosts-file line `0.0.0.0 example.com`, with an
 * optional `# comment`. Null for a blank or comment line.
 */
export function domainEntry(line: string): string | null {
  if (PLAIN_DOMAIN.test(line)) return line.startsWith('.') || line.endsWith('.') ? urlHost(line) : line;
  const hash = line.indexOf('#');
  const tokens = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
  let token = tokens.length >= 2 && HOSTS_FILE_ADDRESSES.has(tokens[0]!) ? tokens[1]! : tokens[0]!;
  if (token.startsWith('*.')) token = token.slice(2);
  return token === '' ? null : urlHost(token);
}

/**
 * Blocked domains: a listed domain blocks itself and every subdomain. A lookup costs one set
 * lookup per label of the host (`a.b.example.com`: the host, `b.example.com`, `example.com`,
 * `com`). IP-address hosts match only exactly.
 */
export class DomainSet {
  private readonly domains = new Set<string>();

  get size(): number {
    return this.domains.size;
  }

  /** Adds a block-list line; false when it holds no domain. */
  add(line: string): boolean {
    const d = domainEntry(line);
    if (d === null) return false;
    this.domains.add(d);
    return true;
  }

  /** The listed domain that blocks `host` (as `urlHost` returns it), or undefined. */
  match(host: string): string | undefined {
    if (this.domains.has(host)) return host;
    if (IPV4_HOST.test(host) || host.includes(':')) return undefined;
    for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) {
      const parent = host.slice(i + 1);
      if (this.domains.has(parent)) return parent;
    }
    return undefined;
  }
}

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/** Decodes runs of %XX escapes as UTF-8; a run that is not valid UTF-8 is left as it is. */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const NON_ALNUM = /[^\p{L}\p{N}]+/gu;

/** A list word as it is compared: lowercased, without anything but letters and digits. */
export function normalizeWord(word: string): string {
  return word.toLowerCase().replace(NON_ALNUM, '');
}

/** The URL, percent-decoded and lowercased, split into runs of letters and digits. */
export function urlWords(url: string): Set<string> {
  const words = new Set(percentDecode(url).toLowerCase().split(NON_ALNUM));
  words.delete('');
  return words;
}

/** The URL, percent-decoded and lowercased, with everything but letters and digits removed. */
export function urlLetters(url: string): string {
  return normalizeWord(percentDecode(url));
}
