/**
 * Character classes for the in-kernel normalization (`kernel-normalize.ts`): one byte per BMP
 * code point, and the characters that make the kernel's order of steps differ from the reference.
 *
 * The reference order is lowercase, numbers, punctuation, whitespace, NFD, drop Mn. The kernel
 * receives text that is already lowercased and NFD-normalized, then classifies each character.
 * That is the same, except for characters whose NFD contains punctuation, whitespace, digits,
 * decimal separators or uppercase ASCII while they themselves are not of that class (U+037E
 * GREEK QUESTION MARK -> ";", U+1FFD GREEK OXIA -> "´", U+2329 -> "〈", ...): the reference keeps
 * what NFD makes of them, the kernel would translate it. Texts with such a character
 * (`NFD_UNSAFE`) take the string path. Astral characters make the kernel stop (the caller then
 * takes the string path too); none decomposes into one of those classes.
 */
import { TRANSLATED_PUNCTUATION } from './normalize.js';

export const KEEP = 0;
export const UPPER = 1; // ASCII A-Z: lowercased
export const SEP = 2; // translated punctuation or Python whitespace
export const DIGIT = 3; // \p{Nd}
export const DROP = 4; // \p{Mn}
export const BAIL = 5; // surrogates: the kernel stops
/** Flag: a decimal separator of the number pattern (. , ، ٫ ⎖ ⎗ ⎘). */
export const DECSEP = 0x10;

const PY_WHITESPACE = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
const DECIMAL_SEPARATORS = [0x2e, 0x2c, 0x060c, 0x066b, 0x2396, 0x2397, 0x2398];

let table: Uint8Array | null = null;
let unsafe: RegExp | null = null;

function build(): void {
  const t = new Uint8Array(0x10000);
  const nd = /^\p{Nd}$/u;
  const mn = /^\p{Mn}$/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c < 0x80) {
      t[c] = c >= 0x41 && c <= 0x5a ? UPPER : c >= 0x61 && c <= 0x7a ? KEEP : c >= 0x30 && c <= 0x39 ? DIGIT : SEP;
    } else if (c >= 0xd800 && c <= 0xdfff) t[c] = BAIL;
    else {
      const s = String.fromCharCode(c);
      t[c] = nd.test(s) ? DIGIT : mn.test(s) ? DROP : KEEP;
    }
  }
  for (const c of TRANSLATED_PUNCTUATION) if (t[c] !== DIGIT) t[c] = SEP;
  for (const c of PY_WHITESPACE) t[c] = SEP;
  for (const c of DECIMAL_SEPARATORS) t[c]! |= DECSEP;

  const risky = (cp: number): boolean => {
    if (cp >= 0x10000) return false;
    const k = t[cp]!;
    return (k & 0x0f) === SEP || (k & 0x0f) === DIGIT || (k & 0x0f) === UPPER || (k & DECSEP) !== 0;
  };
  const bad: number[] = [];
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCharCode(c);
    const d = s.normalize('NFD');
    // the test runs on lowercased text: characters that lowercasing changes cannot occur there
    if (d === s || s.toLowerCase() !== s) continue;
    const parts = [...d].map((ch) => ch.codePointAt(0)!);
    const k = t[c]! & 0x0f;
    const ok = k === SEP ? parts.every((p) => p < 0x10000 && (t[p]! & 0x0f) === SEP) : k !== DIGIT && !parts.some(risky);
    if (!ok) bad.push(c);
  }
  unsafe = new RegExp(`[${bad.map((c) => `\\u{${c.toString(16)}}`).join('')}]`, 'u');
  table = t;
}

/** The class byte of every BMP code point (kind in the low 4 bits, DECSEP flag). */
export function normalizationTable(): Uint8Array {
  if (!table) build();
  return table!;
}

/** Matches lowercased text the kernel cannot normalize after NFD (see above); not for other text. */
export function nfdUnsafe(): RegExp {
  if (!unsafe) build();
  return unsafe!;
}
