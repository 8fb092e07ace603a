/**
 * Checks a fastText model file before it reaches the C++ loader, which does not notice a truncated
 * file: cut inside the word list it loops until the heap is exhausted, cut inside a matrix it loads
 * garbage and predicts nonsense. Walks the layout fastText writes (`FastText::saveModel`: header,
 * `Args::save`, `Dictionary::save`, input and output matrices, dense or product-quantized) and
 * reports a file that ends early, naming the path.
 */
import { open, stat } from 'node:fs/promises';

/** fastText's file magic and the newest format version it writes (fastText `src/fasttext.cc`). */
const FASTTEXT_MAGIC = 793712314;
const FASTTEXT_VERSION = 12;
/** Product quantizer: 2^8 centroids per sub-quantizer (fastText `src/productquantizer.h`). */
const PQ_KSUB = 256;

export interface ModelFileInfo {
  version: number;
  dim: number;
  /** fastText's model kind (1 cbow, 2 skipgram, 3 supervised). */
  model: number;
  words: number;
  labels: number;
  quantizedInput: boolean;
}

/** Fails with a clear message when `path` is missing, a folder, or does not start like a fastText model. */
export async function checkModelPath(path: string): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`fastText model not found: ${path}`);
    throw new Error(`cannot open fastText model ${path}: ${(e as Error).message}`);
  }
  if (!st.isFile()) throw new Error(`fastText model path is not a file: ${path}`);
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    checkHeader(head.subarray(0, bytesRead), path);
  } finally {
    await fh.close();
  }
}

function checkHeader(buf: Uint8Array, path: string): number {
  if (buf.length < 8) throw new Error(`not a fastText model (.bin/.ftz): ${path} (file too short)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getInt32(0, true) !== FASTTEXT_MAGIC) throw new Error(`not a fastText model (.bin/.ftz): ${path} (wrong file header)`);
  const version = view.getInt32(4, true);
  if (version < 1 || version > FASTTEXT_VERSION) {
    throw new Error(`unsupported fastText model version ${version} in ${path} (this build reads versions up to ${FASTTEXT_VERSION})`);
  }
  return version;
}

/** Walks the whole model layout in `bytes`; throws when the file ends before the layout does. */
export function checkModelBytes(bytes: Uint8Array, path: string): ModelFileInfo {
  const version = checkHeader(bytes, path);
  const r = new Reader(bytes, path);
  r.skip(8);
  // Args: dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate (int32), t (double)
  const dim = r.i32();
  r.skip(4 * 6);
  const model = r.i32();
  r.skip(4 * 4 + 8);
  // Dictionary: size nwords nlabels (int32), ntokens pruneidx_size (int64), entries, prune index
  const size = r.i32();
  const words = r.i32();
  const labels = r.i32();
  r.skip(8);
  const pruneidx = r.i64(); // -1 when the dictionary was never pruned
  if (size < 0 || words < 0 || labels < 0 || pruneidx < -1) r.fail('negative dictionary size');
  for (let i = 0; i < size; i++) {
    r.cString();
    r.skip(8 + 1); // count (int64), entry type (int8)
  }
  if (pruneidx > 0) r.skip(8 * pruneidx);
  const quantizedInput = r.u8() !== 0;
  r.matrix(quantizedInput);
  const quantizedOutput = r.u8() !== 0;
  r.matrix(quantizedInput && quantizedOutput);
  return { version, dim, model, words, labels, quantizedInput };
}

class Reader {
  private off = 0;
  private readonly view: DataView;

  constructor(
    private readonly buf: Uint8Array,
    private readonly path: string,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(what: string): never {
    throw new Error(`corrupt or truncated fastText model ${this.path}: ${what} (at byte ${this.off} of ${this.buf.length})`);
  }

  private need(n: number): void {
    if (!Number.isFinite(n) || n < 0 || this.off + n > this.buf.length) this.fail('file ends early');
  }

  skip(n: number): void {
    this.need(n);
    this.off += n;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.off++]!;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.off, true);
    this.off += 4;
    return v;
  }

  i64(): number {
    this.need(8);
    const v = Number(this.view.getBigInt64(this.off, true));
    this.off += 8;
    return v;
  }

  cString(): void {
    const end = this.buf.indexOf(0, this.off);
    if (end < 0) this.fail('file ends inside the word list');
    this.off = end + 1;
  }

  /** DenseMatrix (m, n, floats) or QuantMatrix (qnorm, m, n, codes, product quantizer(s)). */
  matrix(quantized: boolean): void {
    if (!quantized) {
      const m = this.i64();
      const n = this.i64();
      this.skip(4 * m * n);
      return;
    }
    const qnorm = this.u8() !== 0;
    const m = this.i64();
    this.skip(8); // n
    const codesize = this.i32();
    this.skip(codesize);
    this.productQuantizer();
    if (qnorm) {
      this.skip(m);
      this.productQuantizer();
    }
  }

  private productQuantizer(): void {
    const dim = this.i32();
    this.skip(4 * 3); // nsubq, dsub, lastdsub
    this.skip(4 * dim * PQ_KSUB);
  }
}
