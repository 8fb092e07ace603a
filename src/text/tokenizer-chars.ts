/**
 * Character classes of the English word tokenizer: the classes of spaCy v3.5.4's
 * `spacy/lang/char_classes.py` that `spacy.blank("en")` uses, as one flag table over code points.
 *
 * Ranges are hex code points: `a-b` is a run, `a-b/2` every other code point of a run. No class
 * reaches beyond U+2FFFF, so the table stops there.
 * - ALPHA: Latin (basic, fullwidth, supplement, extended A-E, phonetic, Vietnamese), Cyrillic
 *   (Russian, Tatar, Ukrainian, Macedonian), Greek, and the uncased scripts: Ethiopic, Bengali,
 *   Hebrew, Arabic/Persian, Sinhala, Devanagari, Kannada, Tamil, Telugu, Hangul, Kana, CJK.
 * - LOWER / UPPER: the cased letters of ALPHA plus all uncased scripts (they count as both).
 * - ICON: the "other symbols" class (dingbats, arrows, emoji blocks...).
 */

const ALPHA_RANGES =
  '41-5a,61-7a,c0-d6,d8-f6,f8-1bf,1c4-2af,386,388-38a,38c,38e-38f,391-3a9,3ac-3af,3b1-3c9,3cc-3ce,' +
  '400-401,403-40a,40c-40d,410-451,453-45a,45c-45d,490-491,496-497,4a2-4a3,4ae-4af,4ba-4bb,4d8-4d9,' +
  '4e8-4e9,591-5f4,620-64a,66e-6d5,6e5-6ff,750-77f,8a0-8bd,900-9ff,b80-cff,d80-dff,1100-137f,' +
  '1d00-1d25,1d6b-1d77,1d79-1d9a,1e00-1eff,2c60-2c7b,2c7e-2c7f,2e80-2fdf,2ff0-30ff,31c0-31ef,' +
  '3200-4dbf,4e00-9fff,a722-a76f,a771-a787,a78b-a78e,a790-a7b9,a7fa,ab30-ab5a,ab60-ab64,ac00-d7af,' +
  'f900-faff,fb1d-fbb1,fbd3-fd3d,fd50-fdc7,fdf0-fdfb,fe30-fe4f,fe70-fefc,ff21-ff3a,ff41-ff5a,' +
  '1ee00-1eebb,1f200-1f2ff,20000-2a6df,2a700-2ebef,2f800-2fa1f';

const LOWER_RANGES =
  '61-7a,df-f6,f8-ff,101-135/2,137-138,13a-146/2,148-149,14b-177/2,17a,17c,17e-180,183,185,188,' +
  '18c-18d,192,195,199-19b,19e,1a1-1a5/2,1a8,1aa-1ab,1ad,1b0,1b4,1b6,1b9-1ba,1bd-1bf,1c6,1c9,' +
  '1cc-1da/2,1dc-1dd,1df-1ed/2,1ef-1f0,1f3,1f5,1f9-231/2,233-239,23c,23f-240,242,247-24d/2,24f-2af,' +
  '3ac-3af,3b1-3c9,3cc-3ce,430-451,453-45a,45c-45d,491,497,4a3,4af,4bb,4d9,4e9,591-5f4,620-64a,' +
  '66e-6d5,6e5-6ff,750-77f,8a0-8bd,900-9ff,b80-cff,d80-dff,1100-137f,1d00-1d25,1d6b-1d77,1d79-1d9a,' +
  '1e01-1e93/2,1e95-1e9d,1e9f-1eff/2,2c61,2c65-2c66,2c68-2c6c/2,2c71,2c73-2c74,2c76-2c7b,2e80-2fdf,' +
  '2ff0-30ff,31c0-31ef,3200-4dbf,4e00-9fff,a723-a72d/2,a72f-a731,a733-a76f/2,a771-a778,a77a,a77c,' +
  'a77f-a787/2,a78c,a78e,a791,a793-a795,a797-a7a9/2,a7af,a7b5-a7b9/2,a7fa,ab30-ab5a,ab60-ab64,' +
  'ac00-d7af,f900-faff,fb1d-fbb1,fbd3-fd3d,fd50-fdc7,fdf0-fdfb,fe30-fe4f,fe70-fefc,ff41-ff5a,' +
  '1ee00-1eebb,1f200-1f2ff,20000-2a6df,2a700-2ebef,2f800-2fa1f';

const UPPER_RANGES =
  '41-5a,c0-d6,d8-de,100-136/2,139-147/2,14a-176/2,178-179,17b,17d,181-182,184,186-187,189-18b,' +
  '18e-191,193-194,196-198,19c-19d,19f-1a0,1a2,1a4,1a6-1a7,1a9,1ac,1ae-1af,1b1-1b3,1b5,1b7-1b8,1bc,' +
  '1c4,1c7,1ca,1cd-1db/2,1de-1ee/2,1f1,1f4,1f6-1f8,1fa-232/2,23a-23b,23d-23e,241,243-246,248-24e/2,' +
  '386,388-38a,38c,38e-38f,391-3a9,400-401,403-40a,40c-40d,410-42f,490,496,4a2,4ae,4ba,4d8,4e8,' +
  '591-5f4,620-64a,66e-6d5,6e5-6ff,750-77f,8a0-8bd,900-9ff,b80-cff,d80-dff,1100-137f,1e00-1e94/2,' +
  '1e9e-1efe/2,2c60,2c62-2c64,2c67-2c6b/2,2c6d-2c70,2c72,2c75,2c7e-2c7f,2e80-2fdf,2ff0-30ff,' +
  '31c0-31ef,3200-4dbf,4e00-9fff,a722-a72e/2,a732-a76e/2,a779,a77b,a77d-a77e,a780-a786/2,a78b,a78d,' +
  'a790,a792,a796-a7a8/2,a7aa-a7ae,a7b0-a7b4,a7b6,a7b8,ac00-d7af,f900-faff,fb1d-fbb1,fbd3-fd3d,' +
  'fd50-fdc7,fdf0-fdfb,fe30-fe4f,fe70-fefc,ff21-ff3a,1ee00-1eebb,1f200-1f2ff,20000-2a6df,' +
  '2a700-2ebef,2f800-2fa1f';

const ICON_RANGES =
  'a6,a9,ae,b0,482,58d-58e,60e-60f,6de,6e9,6fd-6fe,7f6,9fa,b70,bf3-bf8,bfa,c7f,d4f,d79,f01-f03,f13,' +
  'f15-f17,f1a-f1f,f34-f38/2,fbe-fc5,fc7-fcc,fce-fcf,fd5-fd8,109e-109f,1390-1399,1940,19de-19ff,' +
  '1b61-1b6a,1b74-1b7c,2100-2101,2103-2106,2108-2109,2114,2116-2117,211e-2123,2125-2129/2,212e,' +
  '213a-213b,214a,214c-214d,214f,218a-218b,2195-2199,219c-219f,21a1-21a2,21a4-21a5,21a7-21ad,' +
  '21af-21cd,21d0-21d1,21d3,21d5-21f3,2300-2307,230c-231f,2322-2328,232b-237b,237d-239a,23b4-23db,' +
  '23e2-2426,2440-244a,249c-24e9,2500-25b6,25b8-25c0,25c2-25f7,2600-266e,2670-2767,2794-27bf,' +
  '2800-28ff,2b00-2b2f,2b45-2b46,2b4d-2b73,2b76-2b95,2b98-2bc8,2bca-2bfe,2ce5-2cea,2e80-2e99,' +
  '2e9b-2ef3,2f00-2fd5,2ff0-2ffb,3004,3012-3013,3020,3036-3037,303e-303f,3190-3191,3196-319f,' +
  '31c0-31e3,3200-321e,322a-3247,3250,3260-327f,328a-32b0,32c0-32fe,3300-33ff,4dc0-4dff,a490-a4c6,' +
  'a828-a82b,a836-a837,a839,aa77-aa79,fdfd,ffe4,ffe8,ffed-ffee,fffc-fffd,10137-1013f,10179-10189,' +
  '1018c-1018e,10190-1019b,101a0,101d0-101fc,10877-10878,10ac8,1173f,16b3c-16b3f,16b45,1bc9c,' +
  '1d000-1d0f5,1d100-1d126,1d129-1d164,1d16a-1d16c,1d183-1d184,1d18c-1d1a9,1d1ae-1d1e8,1d200-1d241,' +
  '1d245,1d300-1d356,1d800-1d9ff,1da37-1da3a,1da6d-1da74,1da76-1da83,1da85-1da86,1ecac,1f000-1f02b,' +
  '1f030-1f093,1f0a0-1f0ae,1f0b1-1f0bf,1f0c1-1f0cf,1f0d1-1f0f5,1f110-1f16b,1f170-1f1ac,1f1e6-1f202,' +
  '1f210-1f23b,1f240-1f248,1f250-1f251,1f260-1f265,1f300-1f3fa,1f400-1f6d4,1f6e0-1f6ec,1f6f0-1f6f9,' +
  '1f700-1f773,1f780-1f7d8,1f800-1f80b,1f810-1f847,1f850-1f859,1f860-1f887,1f890-1f8ad,1f900-1f90b,' +
  '1f910-1f93e,1f940-1f970,1f973-1f976,1f97a,1f97c-1f9a2,1f9b0-1f9b9,1f9c0-1f9c2,1f9d0-1f9ff,' +
  '1fa60-1fa6d';

/** Flag bits of `CHAR_FLAGS`. */
export const ALPHA = 1;
export const LOWER = 2;
export const UPPER = 4;
export const ICON = 8;
/** A quote or bracket of the quote list (CONCAT_QUOTES). */
export const QUOTE = 16;
/** A one-character prefix rule (the `+` rule also needs a non-digit after it). */
export const PREFIX_CHAR = 32;
/** A one-character suffix rule (icons are tested separately). */
export const SUFFIX_CHAR = 64;
/** May precede a period that splits off as a suffix. */
export const DOT_BEFORE = 128;

/** The punctuation list (LIST_PUNCT), one character each ("……" is handled by the rules). */
export const PUNCT_CHARS = '…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪';
/** The quote list; the second angle-bracket pair is U+2329/U+232A. */
export const QUOTE_CHARS = '\'"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉\u2329\u232a⟦⟧';
/** Currency symbols of one character (US$, C$ and A$ are handled by the rules). */
export const CURRENCY_CHARS = '$£€¥฿₽﷼₴';
/** Multi-character and one-character currencies, split off after a digit. */
export const CURRENCIES: readonly string[] = ['$', '£', '€', '¥', '฿', 'US$', 'C$', 'A$', '₽', '﷼', '₴'];
/**
 * Units split off after a digit. "тбكم" is one unit: the source list lacks a space there.
 */
export const UNITS: readonly string[] = (
  'km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz m/s ' +
  'km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² дм³ см ' +
  'см² см³ мм мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ тбكم ' +
  'كم² كم³ م م² م³ سم سم² سم³ مم مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب'
).split(' ');

export const TABLE_SIZE = 0x30000;

/** Sets `bit` for the code points of a range list ("41-5a,61", "101-135/2"). */
function setRanges(table: Uint8Array, spec: string, bit: number): void {
  for (const part of spec.split(',')) {
    const m = /^([0-9a-f]+)(?:-([0-9a-f]+))?(?:\/(\d+))?$/.exec(part);
    if (m === null) throw new Error(`bad range ${part}`);
    const from = parseInt(m[1] as string, 16);
    const to = m[2] === undefined ? from : parseInt(m[2], 16);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    for (let cp = from; cp <= to; cp += step) table[cp] |= bit;
  }
}

function setChars(table: Uint8Array, chars: string, bit: number): void {
  for (const ch of chars) table[ch.codePointAt(0) as number] |= bit;
}

function buildFlags(): Uint8Array {
  const t = new Uint8Array(TABLE_SIZE);
  setRanges(t, ALPHA_RANGES, ALPHA);
  setRanges(t, LOWER_RANGES, LOWER | DOT_BEFORE);
  setRanges(t, UPPER_RANGES, UPPER);
  setRanges(t, ICON_RANGES, ICON);
  setChars(t, QUOTE_CHARS, QUOTE | PREFIX_CHAR | SUFFIX_CHAR | DOT_BEFORE);
  setChars(t, PUNCT_CHARS, PREFIX_CHAR | SUFFIX_CHAR | DOT_BEFORE);
  setChars(t, '§%=—–+' + CURRENCY_CHARS, PREFIX_CHAR);
  setChars(t, '—–', SUFFIX_CHAR);
  // The period rule's look-behind class is built from digits, lower-case letters, "%²-+", the
  // characters of the joined punctuation pattern (which include "|"), "(?:" ")" and the quotes.
  setChars(t, '0123456789%²-+|(?:)', DOT_BEFORE);
  return t;
}

/** Flags of every code point below `TABLE_SIZE` (zero above). */
export const CHAR_FLAGS: Uint8Array = buildFlags();

/**
 * UTF-16 units that can take part in a prefix, suffix, infix or URL rule (digits and surrogates
 * included). A chunk without any of them is one token unless it is an exception.
 */
export const TRIGGER: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (CHAR_FLAGS[c] & (PREFIX_CHAR | SUFFIX_CHAR | ICON | QUOTE)) t[c] = 1;
  }
  for (const ch of '0123456789.+-*^,:<>=/~@$°') t[ch.charCodeAt(0)] = 1;
  t.fill(1, 0xd800, 0xe000);
  return t;
})();

/** Flags of a code point. */
export function flagsOf(cp: number): number {
  return cp < TABLE_SIZE ? CHAR_FLAGS[cp] : 0;
}
