/** A one-line progress bar on stderr (only when stderr is a terminal; otherwise occasional plain lines). */
export class ProgressBar {
  private lastPlain = 0;
  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(fraction: number, label: string): void {
    const f = Math.max(0, Math.min(1, fraction));
    if (this.out.isTTY) {
      const width = 30;
      const full = Math.round(f * width);
      this.out.write(`\r[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${label}\x1b[K`);
    } else if (Date.now() - this.lastPlain > 2000 || f === 1) {
      this.lastPlain = Date.now();
      this.out.write(`${(f * 100).toFixed(0).padStart(3)}% ${label}\n`);
    }
  }

  /** Ends the bar's line so the next message starts on a fresh one. */
  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
