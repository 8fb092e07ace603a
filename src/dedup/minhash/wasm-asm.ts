/**
 * A small assembler from flat WebAssembly text to a module binary, so the MinHash kernel can be
 * written as readable instructions and compiled in-process (no build step, no binary in the repo).
 *
 * Supported: one exported memory; functions with i32/i64 params, locals and one result; the
 * instructions listed in OPCODES plus local.get/set/tee, call, i32/i64.const, loads and stores
 * with `offset=`, and block/loop/if/else/end with `$labels` for br/br_if. Comments start with ";;".
 */

export type ValType = 'i32' | 'i64' | 'v128';

export interface FuncDef {
  name: string;
  params: [string, ValType][];
  result?: ValType;
  locals?: [string, ValType][];
  /** Flat instruction text. */
  body: string;
  exported?: boolean;
}

export interface ModuleDef {
  /** Name under which the memory is exported, and its initial size in 64 KiB pages. */
  memory: { exportName: string; initialPages: number };
  funcs: FuncDef[];
}

const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, v128: 0x7b };

/** Instructions without immediates. */
const OPCODES: Record<string, number> = {
  unreachable: 0x00, nop: 0x01, return: 0x0f, drop: 0x1a, select: 0x1b,
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49,
  'i32.gt_s': 0x4a, 'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.le_u': 0x4d, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'i64.eqz': 0x50, 'i64.eq': 0x51, 'i64.ne': 0x52, 'i64.lt_s': 0x53, 'i64.lt_u': 0x54,
  'i64.gt_s': 0x55, 'i64.gt_u': 0x56, 'i64.le_s': 0x57, 'i64.le_u': 0x58, 'i64.ge_s': 0x59, 'i64.ge_u': 0x5a,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73,
  'i32.shl': 0x74, 'i32.shr_s': 0x75, 'i32.shr_u': 0x76,
  'i64.add': 0x7c, 'i64.sub': 0x7d, 'i64.mul': 0x7e, 'i64.and': 0x83, 'i64.or': 0x84, 'i64.xor': 0x85,
  'i64.shl': 0x86, 'i64.shr_s': 0x87, 'i64.shr_u': 0x88, 'i64.rotl': 0x89, 'i64.rotr': 0x8a,
  'i32.wrap_i64': 0xa7, 'i64.extend_i32_s': 0xac, 'i64.extend_i32_u': 0xad,
};

/** SIMD instructions without immediates (prefix 0xfd). */
const SIMD_OPCODES: Record<string, number> = {
  'i32x4.splat': 0x11, 'i32x4.gt_s': 0x3b, 'v128.and': 0x4e, 'v128.or': 0x50, 'v128.any_true': 0x53,
  'i32x4.bitmask': 0xa4, 'i32x4.add': 0xae, 'i32x4.sub': 0xb1, 'i32x4.mul': 0xb5,
};

/** Memory instructions: opcode and natural alignment (log2 bytes); SIMD ones have the 0xfd prefix. */
const MEM_OPS: Record<string, [number, number]> = {
  'i32.load': [0x28, 2], 'i64.load': [0x29, 3], 'i32.load8_u': [0x2d, 0], 'i64.load32_u': [0x35, 2],
  'i32.store': [0x36, 2], 'i64.store': [0x37, 3], 'i32.store8': [0x3a, 0],
  'v128.load': [0xfd00, 4], 'v128.store': [0xfd0b, 4],
};

const BLOCK_OPS: Record<string, number> = { block: 0x02, loop: 0x03, if: 0x04 };

function uleb(n: number | bigint, out: number[]): void {
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
}

function sleb(n: bigint, out: number[]): void {
  let v = n;
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function name(s: string, out: number[]): void {
  const bytes = new TextEncoder().encode(s);
  uleb(bytes.length, out);
  out.push(...bytes);
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  out.push(...content);
}

/** Parses an integer literal (decimal or 0x hex) and wraps it to `bits` as a signed value. */
function parseConst(tok: string, bits: number): bigint {
  const neg = tok.startsWith('-');
  const body = neg ? tok.slice(1) : tok;
  const v = BigInt(body.replace(/_/g, ''));
  return BigInt.asIntN(bits, neg ? -v : v);
}

function assembleBody(f: FuncDef, funcIndex: Map<string, number>): number[] {
  const localIndex = new Map<string, number>();
  for (const [n] of f.params) localIndex.set(n, localIndex.size);
  for (const [n] of f.locals ?? []) localIndex.set(n, localIndex.size);
  const code: number[] = [];
  const labels: (string | null)[] = [];
  const tokens = f.body.replace(/;;[^\n]*/g, ' ').split(/\s+/).filter((t) => t.length > 0);
  const fail = (msg: string): never => {
    throw new Error(`wasm assembler, function ${f.name}: ${msg}`);
  };
  const local = (tok: string | undefined): number => {
    const idx = tok === undefined ? undefined : localIndex.get(tok);
    return idx ?? fail(`unknown local ${tok}`);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t in OPCODES) code.push(OPCODES[t]!);
    else if (t in SIMD_OPCODES) {
      code.push(0xfd);
      uleb(SIMD_OPCODES[t]!, code);
    }
    else if (t === 'local.get' || t === 'local.set' || t === 'local.tee') {
      code.push(t === 'local.get' ? 0x20 : t === 'local.set' ? 0x21 : 0x22);
      uleb(local(tokens[++i]), code);
    } else if (t === 'call') {
      code.push(0x10);
      uleb(funcIndex.get(tokens[++i] ?? '') ?? fail(`unknown function ${tokens[i]}`), code);
    } else if (t === 'i32.const' || t === 'i64.const') {
      code.push(t === 'i32.const' ? 0x41 : 0x42);
      sleb(parseConst(tokens[++i] ?? fail('missing constant'), t === 'i32.const' ? 32 : 64), code);
    } else if (t in MEM_OPS) {
      const [op, align] = MEM_OPS[t]!;
      let offset = 0;
      const next = tokens[i + 1];
      if (next !== undefined && next.startsWith('offset=')) {
        offset = Number(next.slice(7));
        i++;
      }
      if (op >= 0xfd00) {
        code.push(0xfd);
        uleb(op & 0xff, code);
      } else code.push(op);
      uleb(align, code);
      uleb(offset, code);
    } else if (t in BLOCK_OPS) {
      code.push(BLOCK_OPS[t]!);
      let label: string | null = null;
      if (tokens[i + 1]?.startsWith('$')) label = tokens[++i]!;
      if (tokens[i + 1] === '(result') {
        const ty = (tokens[i + 2] ?? '').replace(')', '') as ValType;
        code.push(TYPE_CODE[ty] ?? fail(`bad block type ${ty}`));
        i += 2;
      } else code.push(0x40);
      labels.push(label);
    } else if (t === 'else') code.push(0x05);
    else if (t === 'end') {
      if (labels.pop() === undefined) fail('unbalanced end');
      code.push(0x0b);
    } else if (t === 'br' || t === 'br_if') {
      const target = tokens[++i];
      const pos = labels.lastIndexOf(target ?? '');
      if (pos < 0) fail(`unknown label ${target}`);
      code.push(t === 'br' ? 0x0c : 0x0d);
      uleb(labels.length - 1 - pos, code);
    } else fail(`unknown instruction ${t}`);
  }
  if (labels.length !== 0) fail('unclosed block');
  code.push(0x0b);
  // locals: one entry per declared local (count 1)
  const locals: number[] = [];
  const decl = f.locals ?? [];
  uleb(decl.length, locals);
  for (const [, ty] of decl) {
    uleb(1, locals);
    locals.push(TYPE_CODE[ty]);
  }
  const body = [...locals, ...code];
  const out: number[] = [];
  uleb(body.length, out);
  out.push(...body);
  return out;
}

export function assembleModule(def: ModuleDef): Uint8Array<ArrayBuffer> {
  const funcIndex = new Map(def.funcs.map((f, i) => [f.name, i] as const));
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // one type per function (simple, duplicates are allowed)
  const types: number[] = [];
  uleb(def.funcs.length, types);
  for (const f of def.funcs) {
    types.push(0x60);
    uleb(f.params.length, types);
    for (const [, ty] of f.params) types.push(TYPE_CODE[ty]);
    if (f.result) types.push(1, TYPE_CODE[f.result]);
    else types.push(0);
  }
  section(1, types, out);
  const funcs: number[] = [];
  uleb(def.funcs.length, funcs);
  def.funcs.forEach((_, i) => uleb(i, funcs));
  section(3, funcs, out);
  const mem: number[] = [1, 0x00];
  uleb(def.memory.initialPages, mem);
  section(5, mem, out);
  const exported = def.funcs.map((f, i) => [f, i] as const).filter(([f]) => f.exported);
  const exports: number[] = [];
  uleb(exported.length + 1, exports);
  name(def.memory.exportName, exports);
  exports.push(0x02, 0x00);
  for (const [f, i] of exported) {
    name(f.name, exports);
    exports.push(0x00);
    uleb(i, exports);
  }
  section(7, exports, out);
  const codes: number[] = [];
  uleb(def.funcs.length, codes);
  for (const f of def.funcs) codes.push(...assembleBody(f, funcIndex));
  section(10, codes, out);
  return new Uint8Array(out);
}
