/**
 * Tokenizer exceptions ("special cases") of `spacy.blank("en")` in spaCy v3.5.4: strings that are
 * tokenized as given, whole or in fixed pieces. The table is the base exceptions (whitespace,
 * single letters with a period, emoticons...) updated with the English ones (contractions,
 * abbreviations, times), then every key with "'" copied with "’".
 */

/** A map from an exception string to its pieces (the pieces concatenate to the key). */
export type ExceptionTable = Map<string, readonly string[]>;

const EMOTICONS = (
  ':) :-) :)) :-)) :))) :-))) (: (-: =) (= :] :-] [: [-: [= =] :o) (o: :} :-} 8) 8-) (-8 ;) ;-) ' +
  '(; (-; :( :-( :(( :-(( :((( :-((( ): )-: =( >:( :\') :\'-) :\'( :\'-( :/ :-/ =/ =| :| :-| ]= =[ ' +
  ':1 :P :-P :p :-p :O :-O :o :-o :0 :-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X :x :-x :D :-D ' +
  ';D ;-D =D xD XD xDD XDD 8D 8-D ^_^ ^__^ ^___^ >.< >.> <.< ._. ;_; -_- -__- v.v V.V v_v V_V ' +
  'o_o o_O O_o O_O 0_o o_0 0_0 o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 <333 </3 (^_^) (-_-) (._.) ' +
  '(>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ) ¯\\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>'
).split(' ');

/** Abbreviations and other strings kept whole. */
const WHOLE_EN = (
  "'S 's \u2018S \u2018s and/or w/o 're 'Cause 'cause 'cos 'Cos 'coz 'Coz 'cuz 'Cuz 'bout ma'am " +
  "Ma'am o'clock O'clock lovin' Lovin' lovin Lovin havin' Havin' havin Havin doin' Doin' doin Doin " +
  "goin' Goin' goin Goin Mt. Ak. Ala. Apr. Ariz. Ark. Aug. Calif. Colo. Conn. Dec. Del. Feb. Fla. " +
  'Ga. Ia. Id. Ill. Ind. Jan. Jul. Jun. Kan. Kans. Ky. La. Mar. Mass. Mich. Minn. Miss. N.C. N.D. ' +
  'N.H. N.J. N.M. N.Y. Neb. Nebr. Nev. Nov. Oct. Okla. Ore. Pa. S.C. Sep. Sept. Tenn. Va. Wash. ' +
  "Wis. 'd a.m. Adm. Bros. co. Co. Corp. D.C. Dr. e.g. E.g. E.G. Gen. Gov. i.e. I.e. I.E. Inc. " +
  'Jr. Ltd. Md. Messrs. Mo. Mont. Mr. Mrs. Ms. p.m. Ph.D. Prof. Rep. Rev. Sen. St. vs. v.s.'
).split(' ');

/** English strings that the generated contractions would produce but that are plain words. */
const EXCLUDED = 'Ill ill Its its Hell hell Shell shell Shed shed were Were Well well Whore whore'.split(' ');

/** "x" and "X..." for a lower-case word. */
function bothCases(word: string): string[] {
  return [word, word.charAt(0).toUpperCase() + word.slice(1)];
}

function baseExceptions(table: ExceptionTable): void {
  const whole = [' ', '\t', '\\t', '\n', '\\n', '\u2014', '\u00a0', "'", '\\")', '<space>', "''", 'C++'];
  for (const letter of 'abcdefghijklmnopqrstuvwxyzäöü') whole.push(letter + '.');
  for (const s of [...whole, ...EMOTICONS]) table.set(s, [s]);
  for (const unit of 'cfkCFK') table.set(`°${unit}.`, ['°', unit, '.']);
}

/** The contraction endings, with and without the apostrophe. */
const WILL = [["'ll"], ['ll'], ["'ll", "'ve"], ['ll', 've']];
const WOULD = [["'d"], ['d'], ["'d", "'ve"], ['d', 've']];
const HAVE = [["'ve"], ['ve']];
const ARE = [["'re"], ['re']];
const IS = [["'s"], ['s']];
const NOT = [["n't"], ['nt']];
const NOT_HAVE = [["n't", "'ve"], ['nt', 've']];

function englishExceptions(): ExceptionTable {
  const exc: ExceptionTable = new Map();
  const add = (pieces: string[]): void => {
    exc.set(pieces.join(''), pieces);
  };
  /** Adds each word (lower-case and capitalized) followed by each ending. */
  const forms = (words: readonly string[], ...endings: string[][][]): void => {
    for (const word of words) {
      for (const w of bothCases(word)) for (const group of endings) for (const ending of group) add([w, ...ending]);
    }
  };
  forms(['i'], [["'m"], ['m'], ["'m", 'a'], ['m', 'a']]);
  forms(['i', 'you', 'he', 'she', 'it', 'we', 'they'], WILL, WOULD);
  forms(['i', 'you', 'we', 'they'], HAVE);
  forms(['you', 'we', 'they'], ARE);
  forms(['he', 'she', 'it'], IS);
  // W-words and demonstratives: "that"/"this" take 's but not 're/'ve; "these"/"those" the reverse.
  forms(['who', 'what', 'when', 'where', 'why', 'how', 'there'], IS, WILL, ARE, HAVE, WOULD);
  forms(['that', 'this'], IS, WILL, WOULD);
  forms(['these', 'those'], WILL, ARE, HAVE, WOULD);
  forms('ca could do does did had may might must need ought sha should wo would'.split(' '), NOT, NOT_HAVE);
  forms(['could', 'might', 'must', 'should', 'would'], HAVE);
  forms(['ai', 'are', 'is', 'was', 'were', 'have', 'has', 'dare'], NOT);
  for (const word of ['doin', 'goin', 'nothin', 'nuthin', 'ol', 'somethin']) {
    for (const w of bothCases(word)) {
      add([w]);
      add([w + "'"]);
    }
  }
  for (const word of ['em', 'll', 'nuff']) {
    add([word]);
    add(["'" + word]);
  }
  for (let h = 1; h <= 12; h++) for (const period of ['a.m.', 'am', 'p.m.', 'pm']) add([String(h), period]);
  forms(['not'], HAVE);
  const other = [
    ["y'", 'all'], ['y', 'all'], ['how', "'d", "'y"], ['How', "'d", "'y"], ['can', 'not'], ['Can', 'not'],
    ['gon', 'na'], ['Gon', 'na'], ['got', 'ta'], ['Got', 'ta'], ['let', "'s"], ['Let', "'s"],
    ["c'm", 'on'], ["C'm", 'on'],
  ];
  for (const pieces of other) add(pieces);
  for (const s of WHOLE_EN) add([s]);
  for (const s of EXCLUDED) exc.delete(s);
  return exc;
}

function buildExceptions(): ExceptionTable {
  const table: ExceptionTable = new Map();
  baseExceptions(table);
  for (const [key, pieces] of englishExceptions()) table.set(key, pieces);
  // Every exception with a straight apostrophe also exists with a typographic one.
  for (const [key, pieces] of [...table]) {
    if (key.includes("'")) table.set(key.replaceAll("'", '’'), pieces.map((p) => p.replaceAll("'", '’')));
  }
  return table;
}

/** The exception table of the English tokenizer. */
export const EXCEPTIONS: ExceptionTable = buildExceptions();

/** Length (UTF-16 units) of the longest exception string: longer strings need no look-up. */
export const MAX_EXCEPTION_LENGTH: number = Math.max(...[...EXCEPTIONS.keys()].map((k) => k.length));

/** A 16-bit hash of `s[a, b)` from its length and its first two and last two UTF-16 units. */
function shapeOf(s: string, a: number, b: number): number {
  const two = b - a > 1 ? 1 : 0;
  let h = b - a;
  h = Math.imul(h, 31) + s.charCodeAt(a);
  h = Math.imul(h, 31) + s.charCodeAt(a + two);
  h = Math.imul(h, 31) + s.charCodeAt(b - 1 - two);
  h = Math.imul(h, 31) + s.charCodeAt(b - 1);
  return Math.imul(h, 0x9e3779b1) >>> 16;
}

/** Shapes of the exception strings: most look-ups stop at this filter without a substring. */
const SHAPES = new Uint8Array(0x10000);
for (const key of EXCEPTIONS.keys()) SHAPES[shapeOf(key, 0, key.length)] = 1;

/** The exception for `s[a, b)`, if any. */
export function exceptionAt(s: string, a: number, b: number): readonly string[] | undefined {
  const length = b - a;
  if (length <= 0 || length > MAX_EXCEPTION_LENGTH) return undefined;
  if (SHAPES[shapeOf(s, a, b)] === 0) return undefined;
  return EXCEPTIONS.get(a === 0 && b === s.length ? s : s.slice(a, b));
}
