type Cleanup = () => Promise<void> | void;

/** What a test started, stopped after it, last first, so that a failing test leaks nothing. */
export class Cleanups {
  private readonly list: Cleanup[] = [];

  push(...fns: Cleanup[]): void {
    this.list.push(...fns);
  }

  async run(): Promise<void> {
    for (const c of this.list.splice(0).reverse()) await c();
  }
}
