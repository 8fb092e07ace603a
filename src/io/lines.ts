/**
 * Splits a byte stream into lines on "\n" only (never on U+2028 or U+0085, which JSON strings may
 * hold raw), with 1-based line numbers and a limit on line length: a longer line is reported and
 * skipped instead of being buffered without bound.
 */

export type LineHandler = (buf: Buffer, start: number, end: number, lineNo: number) => void;
export type TooLongHandler = (lineNo: number, bytesSoFar: number) => void;

export class LineSplitter {
  private carry: Buffer[] = [];
  private carryLen = 0;
  private discarding = false;
  private lineNo = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Lines completed so far. */
  get linesSeen(): number {
    return this.lineNo;
  }

  /** The number of the incomplete line held back, if any. */
  pendingLine(): number | null {
    return this.carryLen > 0 || this.discarding ? this.lineNo + 1 : null;
  }

  push(chunk: Buffer, onLine: LineHandler, onTooLong: TooLongHandler): void {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.hold(chunk, pos, onTooLong);
        return;
      }
      this.lineNo++;
      if (this.discarding) {
        this.discarding = false;
      } else if (this.carryLen > 0) {
        const size = this.carryLen + (nl - pos);
        if (size > this.maxLineBytes) onTooLong(this.lineNo, size);
        else {
          const line = Buffer.concat([...this.carry, chunk.subarray(pos, nl)], size);
          onLine(line, 0, size, this.lineNo);
        }
        this.carry = [];
        this.carryLen = 0;
      } else if (nl - pos > this.maxLineBytes) {
        onTooLong(this.lineNo, nl - pos);
      } else {
        onLine(chunk, pos, nl, this.lineNo);
      }
      pos = nl + 1;
    }
  }

  /** At the end of the stream: the last line if it had no final newline. */
  finish(onLine: LineHandler): void {
    if (this.carryLen > 0 && !this.discarding) {
      this.lineNo++;
      const line = Buffer.concat(this.carry, this.carryLen);
      onLine(line, 0, line.length, this.lineNo);
    }
    this.carry = [];
    this.carryLen = 0;
  }

  private hold(chunk: Buffer, pos: number, onTooLong: TooLongHandler): void {
    if (pos >= chunk.length || this.discarding) return;
    const rest = chunk.subarray(pos);
    this.carryLen += rest.length;
    if (this.carryLen > this.maxLineBytes) {
      onTooLong(this.lineNo + 1, this.carryLen);
      this.carry = [];
      this.carryLen = 0;
      this.discarding = true;
    } else {
      // Copy: the chunk's memory may be reused by the stream.
      this.carry.push(Buffer.from(rest));
    }
  }
}
