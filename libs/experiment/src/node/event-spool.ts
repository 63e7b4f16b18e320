import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ExperimentEvent } from '../runner/events.js';

/** Bytes of events a spool keeps in memory before it moves them to its file. */
export const SPOOL_MEMORY_BYTES = 8 * 2 ** 20;

/**
 * Node-only: the events of one unit that finished (or ran) ahead of its turn, kept until the
 * pool may give them out in the experiment's order. Up to `memoryBytes` stay in memory; beyond
 * that they go to a file in a temporary folder, so a long run that waits behind another costs
 * disk, not memory. Events are stored with V8's serializer (structured clone, as `postMessage`
 * uses), so NaN, ±Infinity and −0 come back as they went in — JSON would turn them into null.
 */
export class EventSpool {
  #memory: ExperimentEvent[] = [];
  #memoryBytes = 0;
  #dir: string | null = null;
  #fd: number | null = null;
  #fileRecords = 0;

  constructor(private readonly memoryBytes = SPOOL_MEMORY_BYTES) {}

  push(event: ExperimentEvent): void {
    this.#memory.push(event);
    // A rough size (string lengths) is enough to bound memory; the exact one costs a serialize.
    this.#memoryBytes += estimateBytes(event);
    if (this.#memoryBytes > this.memoryBytes) this.#spill();
  }

  /** Every event pushed, in order; the spool is empty afterwards. */
  *drain(): Generator<ExperimentEvent> {
    if (this.#fd !== null) {
      const fd = this.#fd;
      let offset = 0;
      const header = Buffer.alloc(4);
      for (let i = 0; i < this.#fileRecords; i++) {
        readExactly(fd, header, offset);
        const length = header.readUInt32LE(0);
        const body = Buffer.alloc(length);
        readExactly(fd, body, offset + 4);
        offset += 4 + length;
        yield deserialize(body) as ExperimentEvent;
      }
      this.dispose();
    }
    const memory = this.#memory;
    this.#memory = [];
    this.#memoryBytes = 0;
    yield* memory;
  }

  /** Removes the spool's file and folder; safe to call more than once. */
  dispose(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    this.#fileRecords = 0;
    if (this.#dir !== null) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = null;
  }

  #spill(): void {
    if (this.#fd === null) {
      this.#dir = mkdtempSync(join(tmpdir(), 'optlab-spool-'));
      this.#fd = openSync(join(this.#dir, 'events.bin'), 'w+');
    }
    for (const event of this.#memory) {
      const body = serialize(event);
      const header = Buffer.alloc(4);
      header.writeUInt32LE(body.length, 0);
      writeSync(this.#fd, header);
      writeSync(this.#fd, body);
      this.#fileRecords++;
    }
    this.#memory = [];
    this.#memoryBytes = 0;
  }
}

function readExactly(fd: number, into: Buffer, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('EventSpool: the spool file ended early');
    done += n;
  }
}

/** About how many bytes an event holds: its numbers and strings, without serialising it. */
function estimateBytes(value: unknown): number {
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object' || value === null) return 8;
  let n = 16;
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += estimateBytes(v);
  return n;
}
