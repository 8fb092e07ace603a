/**
 * Band keys: two documents are candidate duplicates when, for some band b, their `rows` signature
 * values b*rows .. b*rows + rows - 1 are all equal.
 *
 * `bandKey` is the exact key: the band's values as big-endian bytes (8 per value). Byte order is
 * value order, so sorting keys with a byte comparison (`Buffer.compare`) sorts bands exactly as
 * the reference sorts its tuples of values; equal keys are equal bands, with no false matches.
 * It is as large as the reference's own records (8 bytes per value), and keeping the reference
 * order matters: the bucket step emits adjacent pairs in sorted order, and that order decides
 * which document each union-find cluster keeps.
 *
 * `bandDigest` is a 128-bit digest of the same bytes (two XXH64 with different seeds), for
 * grouping where order does not matter (hash partitioning, in-memory maps). For N signatures in a
 * band the chance of any false match is about N^2 / 2^129: 1.5e-19 for ten billion documents.
 */
import { xxh64Into } from './xxh64.js';

/** Writes band `band`'s key (8 * rows bytes) into `out` at `offset`; returns `out`. */
export function writeBandKey(sig: Uint32Array, band: number, rows: number, out: Uint8Array, offset = 0): Uint8Array {
  const first = 2 * band * rows;
  if (first + 2 * rows > sig.length) throw new RangeError(`band ${band} is outside the signature`);
  for (let k = 0; k < 2 * rows; k++) {
    const v = sig[first + k]!;
    const o = offset + 4 * k;
    out[o] = v >>> 24;
    out[o + 1] = (v >>> 16) & 0xff;
    out[o + 2] = (v >>> 8) & 0xff;
    out[o + 3] = v & 0xff;
  }
  return out;
}

/** The exact, byte-sortable key of band `band` (8 * rows bytes). */
export function bandKey(sig: Uint32Array, band: number, rows: number): Buffer {
  return writeBandKey(sig, band, rows, Buffer.allocUnsafe(8 * rows)) as Buffer;
}

/** All bands' exact keys of one signature. */
export function bandKeys(sig: Uint32Array, rows: number): Buffer[] {
  const bands = sig.length / (2 * rows);
  if (!Number.isInteger(bands)) throw new RangeError(`signature length ${sig.length} is not a multiple of 2 * ${rows}`);
  return Array.from({ length: bands }, (_, b) => bandKey(sig, b, rows));
}

const SEED_A_HI = 0x243f6a88, SEED_A_LO = 0x85a308d3;
const SEED_B_HI = 0x13198a2e, SEED_B_LO = 0x03707344;
let digestScratch = new Uint8Array(64);

/**
 * The 128-bit digest of band `band` as four u32 (written to `out` at `outIndex`), for order-free
 * grouping.
 */
export function bandDigest(sig: Uint32Array, band: number, rows: number, out: Uint32Array, outIndex = 0): Uint32Array {
  if (digestScratch.length < 8 * rows) digestScratch = new Uint8Array(8 * rows);
  writeBandKey(sig, band, rows, digestScratch);
  xxh64Into(digestScratch, 0, 8 * rows, out, outIndex, SEED_A_HI, SEED_A_LO);
  xxh64Into(digestScratch, 0, 8 * rows, out, outIndex + 2, SEED_B_HI, SEED_B_LO);
  return out;
}

/** The digest as a 32-character hex string (a convenient Map key). */
export function bandDigestHex(sig: Uint32Array, band: number, rows: number): string {
  const d = bandDigest(sig, band, rows, new Uint32Array(4));
  let s = '';
  for (let i = 0; i < 4; i++) s += d[i]!.toString(16).padStart(8, '0');
  return s;
}

/** One signature value as a BigInt (for display and tests). */
export function signatureValue(sig: Uint32Array, i: number): bigint {
  return (BigInt(sig[2 * i]!) << 32n) | BigInt(sig[2 * i + 1]!);
}
