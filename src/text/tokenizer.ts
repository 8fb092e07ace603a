/**
 * English word tokenizer and sentence splitter of the reference quality filters: spaCy v3.5.4's
 * `spacy.blank("en")` tokenizer as datatrove uses it.
 *
 * - `splitWords(text)` = `split_into_words(text, "eng")`: the spaCy tokens, each stripped, the
 *   whitespace-only ones dropped (so: the tokens of the whitespace-free chunks).
 * - `splitSentences(text)` = `split_into_sentences(text, "eng")`: the same tokenizer plus the
 *   `sentencizer` pipe with its default punctuation; the sentence texts, stripped, empty ones
 *   dropped. `countSentences(text)` counts them without building the strings.
 *
 * The text is cut into chunks at Python whitespace (`str.isspace`); see `tokenizer-doc.ts` for the
 * document level, `tokenizer-chunk.ts` for a chunk, `tokenizer-rules.ts`, `tokenizer-url.ts` and
 * `tokenizer-exceptions.ts` for the rules, `tokenizer-matcher.ts` for the special-case pass.
 * Every step is linear in the length of the text.
 *
 * The most recent word tokenization is remembered (one worker handles one document at a time):
 * `areTextTokens` then knows its words without comparing them to the text, `recentTokenization`
 * gives them with their offsets, and `wordsOfLines` derives the words of a text made of its lines.
 */
import * as python from './python.js';
import * as doc from './tokenizer-doc.js';

// Imports are copied into module-local constants: the hot loops then never go through the
// export accessors that some TypeScript loaders and test runners put in front of live bindings.
const { isPyWhitespace } = python;
const { tokenRun, wordTokens, wordTokenSpans } = doc;

/** Word tokens of `text`, as datatrove's `split_into_words(text, "eng")`. */
export function splitWords(text: string): string[] {
  const words = wordTokens(text);
  recent = { text, words, spans: null };
  return words;
}

/** Where words lie in a text: `words[k]` is `text.slice(starts[k], ends[k])`. */
export interface WordSpans {
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
}

/** Word tokens of a text with their spans. */
export interface TokenizedText extends WordSpans {
  readonly text: string;
  readonly words: readonly string[];
}

/**
 * The most recent tokenization (of `splitWords` or `wordsOfLines`), with the spans of its words
 * once asked for: the stages of one document ask for its words one after the other, so this is
 * where their spans are found again.
 */
let recent: { text: string; words: readonly string[]; spans: WordSpans | null } | null = null;

/** Records the spans of the words of the most recent tokenization, found by another pass over them. */
export function rememberSpans(text: string, words: readonly string[], spans: WordSpans): void {
  if (recent !== null && recent.words === words && recent.text === text) recent.spans ??= spans;
}

/** The tokenization of `text` if it is the most recent one (only its spans may be computed). */
export function recentTokenization(text: string): TokenizedText | null {
  if (recent === null || recent.text !== text) return null;
  const spans = (recent.spans ??= wordTokenSpans(text, recent.words));
  return { text, words: recent.words, starts: spans.starts, ends: spans.ends };
}

/**
 * Whether `words` are the whitespace-free pieces of `text` in order, with only Python whitespace
 * between them, as word tokens are: at once for the most recent tokenization, in one pass over the
 * text otherwise.
 */
export function areTextTokens(text: string, words: readonly string[]): boolean {
  if (recent !== null && recent.words === words && recent.text === text) return true;
  let pos = 0;
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    while (pos < text.length && isPyWhitespace(text.charCodeAt(pos))) pos++;
    if (word.length === 0 || pos + word.length > text.length) return false;
    for (let k = 0; k < word.length; k++, pos++) {
      const c = word.charCodeAt(k);
      if (c !== text.charCodeAt(pos) || isPyWhitespace(c)) return false;
    }
  }
  return true;
}

/** The first index of the ascending `a` whose value is at least `x`. */
function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The word tokens of `text`, the `lines` joined by "\n" and stripped, from the known tokens of a
 * source text: a line that is the piece of the source at `from[k]` (-1: any other string) keeps
 * the source's tokens there; the other lines are tokenized. Exact because no token reaches across
 * whitespace and the special-case pass joins only tokens with nothing or one " " between them, so
 * the tokens of lines joined by "\n" are those of each line, wherever the line stands.
 */
export function wordsOfLines(source: TokenizedText, lines: readonly string[], from: readonly number[], text: string): readonly string[] {
  // per line: the range of its source tokens, or its own tokens
  const ranges = new Array<number>(2 * lines.length);
  const own: (string[] | undefined)[] = [];
  let count = 0;
  for (let k = 0; k < lines.length; k++) {
    const a = from[k]!;
    if (a >= 0) {
      ranges[2 * k] = lowerBound(source.starts, a);
      ranges[2 * k + 1] = lowerBound(source.starts, a + lines[k]!.length);
      count += ranges[2 * k + 1]! - ranges[2 * k]!;
    } else {
      const tokens = wordTokens(lines[k]!);
      own[k] = tokens;
      count += tokens.length;
    }
  }
  let words = source.words; // when every token stays: the same list
  if (own.length > 0 || count !== source.words.length) {
    const out = new Array<string>(count);
    let at = 0;
    for (let k = 0; k < lines.length; k++) {
      const tokens = own[k];
      if (tokens !== undefined) for (const t of tokens) out[at++] = t;
      else for (let j = ranges[2 * k]!; j < ranges[2 * k + 1]!; j++) out[at++] = source.words[j]!;
    }
    words = out;
  }
  recent = { text, words, spans: null };
  return words;
}

/** The sentencizer's default punctuation: a token that is one of these ends a sentence. */
const SENTENCE_END = new Set<string>([
  ...'!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？',
  ...'𐩖𐩗𑁇𑁈𑂾𑂿𑃀𑃁𑅁𑅂𑅃𑇅𑇆𑇍𑇞𑇟𑈸𑈹𑈻𑈼𑊩𑑋𑑌𑗂𑗃𑗉𑗊𑗋𑗌𑗍𑗎𑗏𑗐𑗑𑗒𑗓𑗔𑗕𑗖𑗗𑙁𑙂𑜼𑜽𑜾𑩂𑩃𑪛𑪜𑱁𑱂𖩮𖩯𖫵𖬷𖬸𖭄𛲟𝪈｡。',
]);

/** First UTF-16 units of the sentence-ending characters (a filter before the set look-up). */
const END_START = new Uint8Array(0x10000);
for (const p of SENTENCE_END) END_START[p.charCodeAt(0)] = 1;

/** spaCy's `is_punct`: every character is in a Unicode punctuation category. */
const ALL_PUNCTUATION = /^\p{P}+$/u;

/** Indices of the tokens that start a sentence (the sentencizer's rule). */
function sentenceStarts(tokens: readonly string[]): number[] {
  const starts: number[] = [];
  if (tokens.length === 0) return starts;
  starts.push(0);
  let seenEnd = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const isEnd = END_START[token.charCodeAt(0)] === 1 && token.length <= 2 && SENTENCE_END.has(token);
    if (seenEnd && !isEnd && !ALL_PUNCTUATION.test(token)) {
      starts.push(i);
      seenEnd = false;
    } else if (isEnd) {
      seenEnd = true;
    }
  }
  return starts;
}

function isSpaceToken(token: string): boolean {
  return isPyWhitespace(token.charCodeAt(0));
}

/** Sentences of `text`, as datatrove's `split_into_sentences(text, "eng")`. */
export function splitSentences(text: string): string[] {
  const run = tokenRun(text, true);
  const starts = sentenceStarts(run.tokens);
  const out: string[] = [];
  for (let k = 0; k < starts.length; k++) {
    const first = starts[k] as number;
    const last = (k + 1 < starts.length ? (starts[k + 1] as number) : run.tokens.length) - 1;
    let a = first;
    let b = last;
    while (a <= b && isSpaceToken(run.tokens[a] as string)) a++;
    while (b >= a && isSpaceToken(run.tokens[b] as string)) b--;
    if (a > b) continue;
    out.push(text.slice(run.starts[a], run.ends[b]));
  }
  return out;
}

/**
 * Number of sentences of `text` (`len(split_into_sentences(text, "eng"))`); of
 * `text.slice(start, end)` when given.
 */
export function countSentences(text: string, start = 0, end = text.length): number {
  const run = tokenRun(text, true, start, end);
  const starts = sentenceStarts(run.tokens);
  let count = 0;
  for (let k = 0; k < starts.length; k++) {
    const end = k + 1 < starts.length ? (starts[k + 1] as number) : run.tokens.length;
    for (let i = starts[k] as number; i < end; i++) {
      if (!isSpaceToken(run.tokens[i] as string)) {
        count++;
        break;
      }
    }
  }
  return count;
}
