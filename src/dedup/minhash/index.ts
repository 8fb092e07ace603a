/**
 * MinHash primitives, bit-exact with the reference deduplication's defaults: normalization,
 * shingle hashing, permutation parameters, signatures and band keys.
 */
export { bandDigest, bandDigestHex, bandKey, bandKeys, signatureValue, writeBandKey } from './bands.js';
export { DEFAULT_TEXT_NORM, joinWhitespaceWords, simplifyText, TRANSLATED_PUNCTUATION, type TextNormOptions } from './normalize.js';
export {
  DEFAULT_MINHASH_CONFIG,
  MERSENNE_PRIME,
  minhashParameters,
  resolveMinhashConfig,
  type MinhashConfig,
  type MinhashConfigInput,
  type MinhashParameters,
} from './params.js';
export { MinhashSigner, type MinhashSignerOptions, type WordSplitter } from './signature.js';
export { xxh32, xxh32Range, xxh64, xxh64Into } from './xxh64.js';
