/**
 * Tokenizers for token counts, token budgets and tokenized output: OpenAI's BPE vocabularies
 * (cl100k_base, the default; o200k_base; gpt2) through gpt-tokenizer, and `whitespace` words as a
 * fast approximation for counts. Special-token strings inside documents are encoded as ordinary
 * text: they are data, not control tokens.
 */
import { countWhitespaceWords } from '../text/python.js';

export const TOKENIZER_NAMES = ['cl100k_base', 'o200k_base', 'gpt2', 'whitespace'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export interface Tokenizer {
  name: TokenizerName;
  /** Number of token ids (null for whitespace words, which have no ids). */
  vocabSize: number | null;
  /** The end-of-text token id placed between documents in tokenized output. */
  endOfText: number | null;
  count(text: string): number;
  /** Token ids; not available for `whitespace`. */
  encode(text: string): number[];
}

interface BpeModule {
  encode(text: string, options?: { disallowedSpecial?: Set<string>; allowedSpecial?: Set<string> }): number[];
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
  vocabularySize: number;
}

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };
const cache = new Map<TokenizerName, Promise<Tokenizer>>();

async function loadBpe(name: Exclude<TokenizerName, 'whitespace'>): Promise<Tokenizer> {
  const mod = (name === 'cl100k_base'
    ? await import('gpt-tokenizer/encoding/cl100k_base')
    : name === 'o200k_base'
      ? await import('gpt-tokenizer/encoding/o200k_base')
      : await import('gpt-tokenizer/encoding/r50k_base')) as unknown as BpeModule;
  const eot = mod.encode('<|endoftext|>', { allowedSpecial: new Set(['<|endoftext|>']) });
  if (eot.length !== 1) throw new Error(`tokenizer ${name}: no single end-of-text token`);
  return {
    name,
    vocabSize: mod.vocabularySize,
    endOfText: eot[0]!,
    count: (text) => (text.length === 0 ? 0 : mod.countTokens(text, NO_SPECIAL)),
    encode: (text) => (text.length === 0 ? [] : mod.encode(text, NO_SPECIAL)),
  };
}

/** The named tokenizer, loaded once per thread. */
export function loadTokenizer(name: TokenizerName): Promise<Tokenizer> {
  let t = cache.get(name);
  if (!t) {
    t =
      name === 'whitespace'
        ? Promise.resolve<Tokenizer>({
            name,
            vocabSize: null,
            endOfText: null,
            count: countWhitespaceWords,
            encode: () => {
              throw new Error('the whitespace tokenizer counts words and has no token ids; choose cl100k_base, o200k_base or gpt2');
            },
          })
        : loadBpe(name);
    cache.set(name, t);
  }
  return t;
}
