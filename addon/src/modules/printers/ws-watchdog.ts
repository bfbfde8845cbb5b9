/**
 * One ping/pong watchdog for the printers' websockets (OctoPrint push, Moonraker JSON-RPC). A
 * host switched off or gone from the Wi-Fi sends no FIN: the socket stays "open" forever. Every
 * `periodMs` a ping is sent; a ping still unanswered at the next period means the peer is gone,
 * and the socket is terminated (its `close` event then runs the usual fallback to polling).
 */
import type WebSocket from 'ws';

export class PingWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  private readonly onPong = () => {
    this.awaitingPong = false;
  };

  constructor(
    private readonly ws: WebSocket,
    private readonly periodMs: number,
    /** Called just before the socket is terminated for want of a pong. */
    private readonly onSilent: () => void = () => {},
  ) {}

  start(): void {
    this.stop();
    this.awaitingPong = false;
    this.ws.on('pong', this.onPong);
    this.timer = setInterval(() => {
      if (this.awaitingPong) {
        this.onSilent();
        this.stop();
        this.ws.terminate();
        return;
      }
      this.awaitingPong = true;
      try {
        this.ws.ping();
      } catch {
        // Not open any more: the close event is on its way.
      }
    }, this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.ws.off('pong', this.onPong);
  }
}
