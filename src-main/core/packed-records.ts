/** Bytes of one shared block; a record larger than this gets a block of its own. */
const BLOCK_BYTES = 256 * 1024;
/** A handle is `block * HANDLE_STRIDE + offset`: offsets within a shared block stay below it. */
const HANDLE_STRIDE = 2 * BLOCK_BYTES;
/** Each record is its length (4 bytes) then its bytes. */
const LENGTH_BYTES = 4;

interface Block {
  readonly bytes: Buffer;
  /** Lengths go through a DataView: a builtin, fast before the JIT has warmed (a Stop packs thousands). */
  readonly view: DataView;
  used: number;
  /** Records written here and not deleted yet. */
  live: number;
}

/**
 * Records kept outside V8's heap: bytes in shared Buffer blocks, each record named by a number. The engine
 * keeps tens of thousands of ended tasks; as JS objects they made its old generation large enough (past
 * about 8 MB) for V8 to run incremental marking after nearly every young collection under bulk transfer,
 * where each 64 KiB socket read forces one. Kept here, they add a handle per task to the heap.
 *
 * Blocks are filled in order and freed once every record in them is deleted; records are forgotten
 * roughly in the order they were written (oldest ended task first), so few blocks are held partly full.
 */
export class PackedRecords {
  private readonly blocks = new Map<number, Block>();
  private current: Block | null = null;
  private currentId = -1;
  private nextId = 0;

  /** Bytes held in blocks (written or not). */
  get blockBytes(): number {
    let total = 0;
    for (const block of this.blocks.values()) total += block.bytes.length;
    return total;
  }

  /** Stores a copy of `record`; returns its handle. */
  put(record: Uint8Array): number {
    const size = LENGTH_BYTES + record.length;
    if (size > BLOCK_BYTES) return this.putAlone(record, size);
    let block = this.current;
    if (block === null || block.used + size > block.bytes.length) {
      if (block !== null && block.live === 0) this.blocks.delete(this.currentId);
      block = newBlock(BLOCK_BYTES);
      this.currentId = this.nextId++;
      this.blocks.set(this.currentId, block);
      this.current = block;
    }
    const offset = block.used;
    block.view.setUint32(offset, size - LENGTH_BYTES, true);
    block.bytes.set(record, offset + LENGTH_BYTES);
    block.used += size;
    block.live++;
    return this.currentId * HANDLE_STRIDE + offset;
  }

  /** The record stored under `handle` (which must not have been deleted): a view, not a copy. */
  get(handle: number): Buffer {
    const { block, offset } = this.locate(handle);
    const length = block.view.getUint32(offset, true);
    return block.bytes.subarray(offset + LENGTH_BYTES, offset + LENGTH_BYTES + length);
  }

  /** Forgets the record under `handle`; its block is freed with the last of its records. */
  delete(handle: number): void {
    const { block, id } = this.locate(handle);
    block.live--;
    if (block.live === 0 && block !== this.current) this.blocks.delete(id);
  }

  /** Forgets everything. */
  clear(): void {
    this.blocks.clear();
    this.current = null;
    this.currentId = -1;
  }

  private putAlone(record: Uint8Array, size: number): number {
    const block = newBlock(size);
    block.view.setUint32(0, size - LENGTH_BYTES, true);
    block.bytes.set(record, LENGTH_BYTES);
    block.used = size;
    block.live = 1;
    const id = this.nextId++;
    this.blocks.set(id, block);
    return id * HANDLE_STRIDE;
  }

  private locate(handle: number): { block: Block; id: number; offset: number } {
    const id = Math.floor(handle / HANDLE_STRIDE);
    const block = this.blocks.get(id);
    if (!block) throw new Error(`no packed record ${handle}`);
    return { block, id, offset: handle % HANDLE_STRIDE };
  }
}

function newBlock(size: number): Block {
  const bytes = Buffer.allocUnsafe(size);
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, size), used: 0, live: 0 };
}
