/** A connection holding a small echo until the end of this turn of the event loop. */
export interface HeldWrite {
  /** Writes what was held (nothing when it already left, e.g. at a close). */
  flushHeld(): void;
}

/** One small write in this many, while writes are not gathered, measures its turn (see TurnWriteBatch). */
export const PROBE_EVERY = 64;

/** Writes up to this size may be gathered; larger ones (bulk transfer) always leave at once. */
export const SMALL_WRITE_BYTES = 4096;

/**
 * Small writes of several connections in one turn of the event loop, sent together at its end (in the
 * check phase, after every socket the poll phase found readable has been read).
 *
 * Why: a write to a peer that sleeps waiting for it wakes the peer, and on a virtual machine each
 * wake-up is an interrupt between cores that costs microseconds. When many connections each echo one
 * small message per turn, writing as each is read wakes a client once per connection; writing them
 * together at the turn's end finds the client awake after the first. With 100 connections of 64-byte
 * round trips on loopback, bare Node did 1.05-1.27 times the round trips a second this way (`npm run
 * bench`, its `gathered` column; the gain follows what a wake-up costs on the machine at the time).
 *
 * With one busy connection there is nothing to gather and holding would only delay its echo, so writes
 * are gathered only after a turn that had two or more small writers. While they are not, one small
 * write in PROBE_EVERY measures its turn (it still leaves at once); a gathered turn measures itself.
 */
export class TurnWriteBatch {
  private held: HeldWrite[] = [];
  private turnEndScheduled = false;
  private writersThisTurn = 0;
  private gathering = false;
  private writesSinceProbe = 0;

  constructor(private readonly atTurnEnd: (run: () => void) => void = setImmediate) {}

  /** Whether small writes are held until the turn's end now. */
  get isGathering(): boolean {
    return this.gathering;
  }

  /** Holds `write` until the turn's end; call once per turn per connection, only while gathering. */
  hold(write: HeldWrite): void {
    this.held.push(write);
    this.writersThisTurn++;
    this.scheduleTurnEnd();
  }

  /** A small write that left at once: counted when this turn is measured (every PROBE_EVERY-th starts that). */
  wroteNow(): void {
    if (this.turnEndScheduled) this.writersThisTurn++;
    else if (++this.writesSinceProbe >= PROBE_EVERY) {
      this.writesSinceProbe = 0;
      this.writersThisTurn = 1;
      this.scheduleTurnEnd();
    }
  }

  private scheduleTurnEnd(): void {
    if (this.turnEndScheduled) return;
    this.turnEndScheduled = true;
    this.atTurnEnd(this.endTurn);
  }

  private readonly endTurn = (): void => {
    this.turnEndScheduled = false;
    this.gathering = this.writersThisTurn >= 2;
    this.writersThisTurn = 0;
    const held = this.held;
    this.held = [];
    for (let i = 0; i < held.length; i++) held[i]!.flushHeld();
  };
}

/** The process's batch: a turn of the event loop is shared by every connection in it. */
export const turnWrites = new TurnWriteBatch();
