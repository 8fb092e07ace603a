/**
 * The MinHash hot loops as one WebAssembly module (native 64-bit integers, 128-bit SIMD), written
 * as readable instructions and assembled in-process (`wasm-asm.ts`):
 * - `normalizeWords` (`kernel-normalize.ts`): normalization and word splitting of UTF-8 text;
 * - `shingleHashes`: XXH64 of every shingle, a shingle being the bytes from `starts[j]` to
 *   `starts[j + n] - gap` of a UTF-8 buffer (words joined by one space: gap 1; characters: gap 0);
 * - `minhashSimd` (`kernel-simd.ts`): for each hash function i, min over shingles x of
 *   ((x * a_i + b_i) mod 2^64) mod (2^61 - 1), with a SIMD filter (the signer's path);
 * - `minhash`: the same in plain 64-bit scalar code (four hash functions per pass over the
 *   shingles), the cross-check of the SIMD path in tests;
 * - `minhash32`: the scalar loop with each value masked to its low 32 bits (32-bit precision).
 *
 * All arrays live in the module's memory; the caller lays them out (see `signature.ts`).
 */
import { NORMALIZE_BODY, NORMALIZE_LOCALS, NORMALIZE_PARAMS } from './kernel-normalize.js';
import { MINHASH_SIMD_BODY, MINHASH_SIMD_LOCALS, MINHASH_SIMD_PARAMS } from './kernel-simd.js';
import { assembleModule } from './wasm-asm.js';

const P1 = '0x9E3779B185EBCA87';
const P2 = '0xC2B2AE3D27D4EB4F';
const P3 = '0x165667B19E3779F9';
const P4 = '0x85EBCA77C2B2AE63';
const P5 = '0x27D4EB2F165667C5';
const MERSENNE = '0x1FFFFFFFFFFFFFFF';
/** P - 7: see permuteMin64. */
const LIM_BASE = '0x1FFFFFFFFFFFFFF8';
/** Hash functions per pass over the shingles. */
const GROUP = 4;

/** XXH64 round: rotl(acc + input * P2, 31) * P1 (acc and input are instruction text). */
const round = (acc: string, input: string): string =>
  `${acc} ${input} i64.const ${P2} i64.mul i64.add i64.const 31 i64.rotl i64.const ${P1} i64.mul`;

/** h = (h ^ round(0, v)) * P1 + P4 */
const mergeRound = (v: string): string =>
  `local.get h ${round('i64.const 0', `local.get ${v}`)} i64.xor i64.const ${P1} i64.mul i64.const ${P4} i64.add local.set h`;

/** XXH64 of `len` bytes at `p` with `seed`, left on the stack (inlined in the shingle loop). */
const XXH64 = `
  local.get p local.get len i32.add local.set end
  local.get len i32.const 32 i32.ge_u
  if
    local.get seed i64.const ${P1} i64.add i64.const ${P2} i64.add local.set v1
    local.get seed i64.const ${P2} i64.add local.set v2
    local.get seed local.set v3
    local.get seed i64.const ${P1} i64.sub local.set v4
    local.get end i32.const 32 i32.sub local.set lim
    loop $stripe
      ${round('local.get v1', 'local.get p i64.load offset=0')} local.set v1
      ${round('local.get v2', 'local.get p i64.load offset=8')} local.set v2
      ${round('local.get v3', 'local.get p i64.load offset=16')} local.set v3
      ${round('local.get v4', 'local.get p i64.load offset=24')} local.set v4
      local.get p i32.const 32 i32.add local.tee p
      local.get lim i32.le_u br_if $stripe
    end
    local.get v1 i64.const 1 i64.rotl local.get v2 i64.const 7 i64.rotl i64.add
    local.get v3 i64.const 12 i64.rotl i64.add local.get v4 i64.const 18 i64.rotl i64.add local.set h
    ${mergeRound('v1')} ${mergeRound('v2')} ${mergeRound('v3')} ${mergeRound('v4')}
  else
    local.get seed i64.const ${P5} i64.add local.set h
  end
  local.get h local.get len i64.extend_i32_u i64.add local.set h
  block $done8 loop $next8
    local.get p i32.const 8 i32.add local.get end i32.gt_u br_if $done8
    local.get h ${round('i64.const 0', 'local.get p i64.load')} i64.xor
    i64.const 27 i64.rotl i64.const ${P1} i64.mul i64.const ${P4} i64.add local.set h
    local.get p i32.const 8 i32.add local.set p
    br $next8
  end end
  local.get p i32.const 4 i32.add local.get end i32.le_u
  if
    local.get h local.get p i64.load32_u i64.const ${P1} i64.mul i64.xor
    i64.const 23 i64.rotl i64.const ${P2} i64.mul i64.const ${P3} i64.add local.set h
    local.get p i32.const 4 i32.add local.set p
  end
  block $done1 loop $next1
    local.get p local.get end i32.ge_u br_if $done1
    local.get h local.get p i32.load8_u i64.extend_i32_u i64.const ${P5} i64.mul i64.xor
    i64.const 11 i64.rotl i64.const ${P1} i64.mul local.set h
    local.get p i32.const 1 i32.add local.set p
    br $next1
  end end
  local.get h local.get h i64.const 33 i64.shr_u i64.xor i64.const ${P2} i64.mul local.set h
  local.get h local.get h i64.const 29 i64.shr_u i64.xor i64.const ${P3} i64.mul local.set h
  local.get h local.get h i64.const 32 i64.shr_u i64.xor
`;

const SHINGLE_HASHES = `
  block $done
    local.get count i32.eqz br_if $done
    loop $next
      local.get starts local.get j i32.const 2 i32.shl i32.add i32.load local.set s
      local.get starts local.get j local.get n i32.add i32.const 2 i32.shl i32.add i32.load
      local.get gap i32.sub local.set e
      local.get out local.get j i32.const 3 i32.shl i32.add
      local.get text local.get s i32.add local.set p
      local.get e local.get s i32.sub local.set len
      ${XXH64}
      i64.store
      local.get j i32.const 1 i32.add local.tee j local.get count i32.lt_u br_if $next
    end
  end
`;

/**
 * h_k = ((x * a_k + b_k) mod 2^64) mod (2^61 - 1), then m_k = min(m_k, h_k).
 * With v = x * a_k + b_k (wrapping), lo = v & P and hi = v >> 61 (at most 7), h_k = (lo + hi) mod P.
 * If m_k <= lo < P - 7 then h_k = lo + hi >= m_k cannot lower the minimum; with lim_k = P - 7 - m_k
 * that is exactly (lo - m_k) < lim_k (unsigned), one compare-and-branch that is almost never taken.
 * The rare branch computes h_k exactly. While m_k > P - 8 (only before the first value), lim_k = 0
 * sends every pair to the exact branch.
 */
const permuteMin64 = (k: number): string => `
  local.get x local.get a${k} i64.mul local.get b${k} i64.add local.tee v
  i64.const ${MERSENNE} i64.and local.tee h
  local.get m${k} i64.sub local.get l${k} i64.ge_u
  if
    local.get h local.get v i64.const 61 i64.shr_u i64.add local.tee h
    i64.const ${MERSENNE} i64.sub local.get h local.get h i64.const ${MERSENNE} i64.ge_u select local.tee h
    local.get m${k} i64.lt_u
    if
      local.get h local.set m${k}
      i64.const ${LIM_BASE} local.get h i64.sub i64.const 0 local.get h i64.const ${LIM_BASE} i64.le_u select
      local.set l${k}
    end
  end
`;

/** The same with the result masked to its low 32 bits before the minimum (32-bit precision). */
const permuteMin32 = (k: number): string => `
  local.get x local.get a${k} i64.mul local.get b${k} i64.add local.tee h
  i64.const ${MERSENNE} i64.and local.get h i64.const 61 i64.shr_u i64.add local.set h
  local.get h i64.const ${MERSENNE} i64.sub local.get h local.get h i64.const ${MERSENNE} i64.ge_u select
  i64.const 0xFFFFFFFF i64.and local.set h
  local.get h local.get m${k} local.get h local.get m${k} i64.lt_u select local.set m${k}
`;

const loadParams = (k: number): string => `
  local.get ap local.get i i32.const ${k} i32.add i32.const 3 i32.shl i32.add i64.load local.set a${k}
  local.get bp local.get i i32.const ${k} i32.add i32.const 3 i32.shl i32.add i64.load local.set b${k}
  i64.const ${MERSENNE} local.set m${k}
  i64.const 0 local.set l${k}
`;

const storeMin = (k: number): string => `
  local.get out local.get i i32.const ${k} i32.add i32.const 3 i32.shl i32.add local.get m${k} i64.store
`;

/** Processes hash functions [i, i + width) in one pass over the shingles. */
const minhashGroup = (width: number, label: string, step: (k: number) => string): string => {
  const ks = Array.from({ length: width }, (_, k) => k);
  return `
    ${ks.map(loadParams).join('')}
    local.get xs local.set xp
    loop $${label}
      local.get xp i64.load local.set x
      ${ks.map(step).join('')}
      local.get xp i32.const 8 i32.add local.tee xp local.get xend i32.lt_u br_if $${label}
    end
    ${ks.map(storeMin).join('')}
    local.get i i32.const ${width} i32.add local.set i
  `;
};

const minhashBody = (step: (k: number) => string): string => `
  block $empty
    local.get count i32.eqz br_if $empty
    local.get xs local.get count i32.const 3 i32.shl i32.add local.set xend
    block $done4 loop $next4
      local.get i i32.const ${GROUP} i32.add local.get numHashes i32.gt_u br_if $done4
      ${minhashGroup(GROUP, 'shinglesN', step)}
      br $next4
    end end
    block $done1 loop $next1
      local.get i local.get numHashes i32.ge_u br_if $done1
      ${minhashGroup(1, 'shingles1', step)}
      br $next1
    end end
  end
`;

const groupLocals = (width: number): [string, 'i64'][] =>
  Array.from({ length: width }, (_, k) => [
    [`a${k}`, 'i64'],
    [`b${k}`, 'i64'],
    [`m${k}`, 'i64'],
    [`l${k}`, 'i64'],
  ] as [string, 'i64'][]).flat();

export interface MinhashKernel {
  memory: WebAssembly.Memory;
  /** See `kernel-normalize.ts`: words of `len` UTF-8 bytes at `src`, in place; -1 if astral. */
  normalizeWords(src: number, len: number, starts: number, table: number): number;
  /** XXH64 with `seed` of each of `count` shingles; writes `count` u64 at `out`. */
  shingleHashes(text: number, starts: number, count: number, n: number, gap: number, out: number, seed: bigint): void;
  /** Per-function minimum over `count` u64 shingle hashes at `xs`; writes `numHashes` u64 at `out`. */
  minhash(xs: number, count: number, ap: number, bp: number, numHashes: number, out: number): void;
  /** `minhash` with a SIMD filter; needs `simdScratchBytes(count)` bytes at `scratch` (16-aligned). */
  minhashSimd(xs: number, count: number, ap: number, bp: number, numHashes: number, out: number, scratch: number): void;
  /** The same with each permuted value masked to 32 bits before the minimum. */
  minhash32(xs: number, count: number, ap: number, bp: number, numHashes: number, out: number): void;
}

let compiled: WebAssembly.Module | null = null;

function compile(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(
    assembleModule({
      memory: { exportName: 'memory', initialPages: 16 },
      funcs: [
        {
          name: 'shingleHashes',
          params: [['text', 'i32'], ['starts', 'i32'], ['count', 'i32'], ['n', 'i32'], ['gap', 'i32'], ['out', 'i32'], ['seed', 'i64']],
          locals: [
            ['j', 'i32'], ['s', 'i32'], ['e', 'i32'], ['p', 'i32'], ['len', 'i32'], ['end', 'i32'], ['lim', 'i32'],
            ['h', 'i64'], ['v1', 'i64'], ['v2', 'i64'], ['v3', 'i64'], ['v4', 'i64'],
          ],
          body: SHINGLE_HASHES,
          exported: true,
        },
        {
          name: 'minhash',
          params: [['xs', 'i32'], ['count', 'i32'], ['ap', 'i32'], ['bp', 'i32'], ['numHashes', 'i32'], ['out', 'i32']],
          locals: [['i', 'i32'], ['xp', 'i32'], ['xend', 'i32'], ['x', 'i64'], ['v', 'i64'], ['h', 'i64'], ...groupLocals(GROUP)],
          body: minhashBody(permuteMin64),
          exported: true,
        },
        {
          name: 'minhash32',
          params: [['xs', 'i32'], ['count', 'i32'], ['ap', 'i32'], ['bp', 'i32'], ['numHashes', 'i32'], ['out', 'i32']],
          locals: [['i', 'i32'], ['xp', 'i32'], ['xend', 'i32'], ['x', 'i64'], ['v', 'i64'], ['h', 'i64'], ...groupLocals(GROUP)],
          body: minhashBody(permuteMin32),
          exported: true,
        },
        {
          name: 'normalizeWords',
          params: NORMALIZE_PARAMS,
          result: 'i32',
          locals: NORMALIZE_LOCALS,
          body: NORMALIZE_BODY,
          exported: true,
        },
        {
          name: 'minhashSimd',
          params: MINHASH_SIMD_PARAMS,
          locals: MINHASH_SIMD_LOCALS,
          body: MINHASH_SIMD_BODY,
          exported: true,
        },
      ],
    }),
  );
  return compiled;
}

/** A fresh kernel instance with its own memory (one per signer; instances are cheap). */
export function createKernel(): MinhashKernel {
  const instance = new WebAssembly.Instance(compile(), {});
  const e = instance.exports as unknown as MinhashKernel;
  return {
    memory: e.memory,
    normalizeWords: e.normalizeWords,
    shingleHashes: e.shingleHashes,
    minhash: e.minhash,
    minhashSimd: e.minhashSimd,
    minhash32: e.minhash32,
  };
}
