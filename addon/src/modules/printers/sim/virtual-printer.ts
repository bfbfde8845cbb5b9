/**
 * A simulated printer, the state behind the fake OctoPrint, Moonraker and exporter servers
 * (demo, failure tests, bench). Time-driven: a print advances with the clock, heaters move
 * towards their targets. Changes are announced to listeners at once (state) or at each tick.
 */

export type SimState = 'disconnected' | 'idle' | 'printing' | 'pausing' | 'paused' | 'cancelling' | 'error';

export interface SimHeater {
  actual: number;
  target: number;
}

export interface SimJob {
  file: string;
  /** Seconds the print takes when not paused. */
  duration: number;
  layers: number;
}

export class VirtualPrinter {
  state: SimState = 'idle';
  job: SimJob | undefined;
  /** Seconds printed (pauses excluded). */
  elapsed = 0;
  errorText = '';
  readonly tools: SimHeater[];
  readonly bed: SimHeater = { actual: 21.3, target: 0 };
  chamber: SimHeater | undefined;
  /** Results of finished jobs, for the exporters' counters. */
  readonly counters = { started: 0, done: 0, cancelled: 0, failed: 0 };
  private listeners = new Set<(kind: 'state' | 'tick') => void>();
  private timer: NodeJS.Timeout | undefined;
  private last = Date.now();
  /** When the print finishes, start it again after this many ms (demo); undefined: stay idle. */
  loopAfterMs: number | undefined;
  private loopTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    opts: { tools?: number; chamber?: boolean; tickMs?: number } = {},
  ) {
    this.tools = Array.from({ length: opts.tools ?? 1 }, () => ({ actual: 21.3, target: 0 }));
    if (opts.chamber) this.chamber = { actual: 21.3, target: 0 };
    this.timer = setInterval(() => this.tick(), opts.tickMs ?? 250);
    this.timer.unref();
  }

  on(listener: (kind: 'state' | 'tick') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.loopTimer) clearTimeout(this.loopTimer);
    this.listeners.clear();
  }

  get progress(): number {
    if (!this.job) return 0;
    return Math.min(100, (this.elapsed / this.job.duration) * 100);
  }

  get remaining(): number {
    return this.job ? Math.max(0, this.job.duration - this.elapsed) : 0;
  }

  get layer(): number {
    return this.job ? Math.min(this.job.layers, Math.floor((this.progress / 100) * this.job.layers) + 1) : 0;
  }

  setState(s: SimState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state');
  }

  startPrint(job: SimJob): boolean {
    if (this.state !== 'idle') return false;
    this.job = job;
    this.elapsed = 0;
    this.counters.started++;
    for (const t of this.tools) t.target = 210;
    this.bed.target = 60;
    this.setState('printing');
    return true;
  }

  pause(): boolean {
    if (this.state !== 'printing') return false;
    this.setState('paused');
    return true;
  }

  resume(): boolean {
    if (this.state !== 'paused') return false;
    this.setState('printing');
    return true;
  }

  cancel(): boolean {
    if (this.state !== 'printing' && this.state !== 'paused') return false;
    this.counters.cancelled++;
    this.finish();
    return true;
  }

  connect(): void {
    if (this.state === 'disconnected') this.setState('idle');
  }

  disconnect(): void {
    this.setState('disconnected');
  }

  fail(text: string): void {
    this.errorText = text;
    this.counters.failed++;
    this.setState('error');
  }

  private finish(): void {
    for (const t of this.tools) t.target = 0;
    this.bed.target = 0;
    this.setState('idle');
  }

  private tick(): void {
    const now = Date.now();
    const dt = (now - this.last) / 1000;
    this.last = now;
    for (const h of [...this.tools, this.bed, ...(this.chamber ? [this.chamber] : [])]) {
      const goal = h.target > 0 ? h.target : 21.3;
      h.actual += (goal - h.actual) * Math.min(1, dt * 0.8);
      h.actual = Math.round(h.actual * 100) / 100;
    }
    if (this.state === 'printing' && this.job) {
      this.elapsed += dt;
      if (this.elapsed >= this.job.duration) {
        this.elapsed = this.job.duration;
        this.counters.done++;
        this.finish();
        const loop = this.loopAfterMs;
        const job = this.job;
        if (loop !== undefined) {
          this.loopTimer = setTimeout(() => this.startPrint(job), loop);
          this.loopTimer.unref();
        }
        return;
      }
    }
    if (this.state !== 'disconnected') this.emit('tick');
  }

  private emit(kind: 'state' | 'tick'): void {
    for (const l of [...this.listeners]) l(kind);
  }
}
