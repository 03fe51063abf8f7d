/**
 * Float32Arrays handed back for reuse between the training worker and its teacher worker.
 *
 * Every batch of a distillation run crosses between the workers twice: the images one way, the
 * teacher's logits and taps the other (24 MB a batch for MobileNetV2's taps at 224 px). Made new
 * each time, those arrays are garbage as soon as they are read, and V8 collects them late (they
 * live outside its heap), so two workers kept hundreds of MB of dead arrays at a 224 px pilot's
 * peak. With a pool each side hands the arrays it has finished with back to the side that fills
 * them (transferred, not copied), and a batch reuses them.
 */
export class ArrayPool {
  private free: Float32Array[] = [];

  /** `cap`: most arrays kept (the oldest go first). */
  constructor(private readonly cap: number) {}

  /** Keeps arrays for reuse (detached or empty ones are ignored). */
  put(arrays: Iterable<Float32Array>): void {
    for (const a of arrays) if (a.length > 0) this.free.push(a);
    if (this.free.length > this.cap) this.free = this.free.slice(this.free.length - this.cap);
  }

  /** An array of n floats: a kept one of that length, else a new one (contents undefined). */
  take(n: number): Float32Array {
    const i = this.free.findIndex((a) => a.length === n);
    return i >= 0 ? this.free.splice(i, 1)[0] : new Float32Array(n);
  }

  /** Whether an array of n floats is kept. */
  has(n: number): boolean {
    return this.free.some((a) => a.length === n);
  }

  /** Hands every kept array over (to transfer them) and forgets them. */
  drain(): Float32Array[] {
    return this.free.splice(0);
  }

  get size(): number { return this.free.length; }
}
