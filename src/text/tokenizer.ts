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
 */
import * as python from './python.js';
import * as doc from './tokenizer-doc.js';

// Imports are copied into module-local constants: the hot loops then never go through the
// export accessors that some TypeScript loaders and test runners put in front of live bindings.
const { isPyWhitespace } = python;
const { tokenRun } = doc;

/** Word tokens of `text`, as datatrove's `split_into_words(text, "eng")`. */
export function splitWords(text: string): string[] {
  return tokenRun(text, false, false).tokens;
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
  const run = tokenRun(text, true, true);
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
    out.push(text.slice(run.starts[a], (run.starts[b] as number) + (run.tokens[b] as string).length));
  }
  return out;
}

/** Number of sentences of `text` (`len(split_into_sentences(text, "eng"))`). */
export function countSentences(text: string): number {
  const run = tokenRun(text, true, true);
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
