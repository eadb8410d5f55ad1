/**
 * Real handler code in a sweep (docs/sweep.md): one sandbox pool for the whole sweep, never one per sweep
 * worker. The pool lives in the sweep's main thread; a sweep worker thread that runs a point with real
 * code sends that point's handler batches to it over a MessagePort, and each point gets a session of its
 * own in the pool (its environments kept apart from the other points', freed when the point ends).
 */
import type { MessagePort } from 'node:worker_threads';
import type { HandlerCall, HandlerPort, HandlerReply } from '../engine/lambda/handler-port.js';
import type { Sandbox, SandboxSession } from '../sandbox/pool.js';

type Request =
  | { type: 'run'; id: number; session: number; calls: HandlerCall[]; discarded: string[] }
  | { type: 'close'; id: number; session: number };
type Response = { id: number; reply?: HandlerReply };

/** Answers a sweep worker's handler batches from the one pool; resolves nothing, stops with the port. */
export function servePool(port: MessagePort, pool: Sandbox): void {
  const sessions = new Map<number, SandboxSession>();
  port.on('message', (m: Request) => {
    let session = sessions.get(m.session);
    if (m.type === 'close') {
      sessions.delete(m.session);
      void (session?.close() ?? Promise.resolve()).then(() => port.postMessage({ id: m.id } satisfies Response));
      return;
    }
    if (!session) sessions.set(m.session, (session = pool.session()));
    void session.run(m.calls, m.discarded).then((reply) => port.postMessage({ id: m.id, reply } satisfies Response));
  });
}

/** The sweep worker's side: a HandlerPort per point whose batches run in the main thread's pool. */
export class RemotePool {
  private nextId = 1;
  private nextSession = 1;
  private readonly waiting = new Map<number, (r: Response) => void>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (r: Response) => {
      const done = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      done?.(r);
    });
  }

  /** A port for one point's simulation; close it when the point ends (frees its environments). */
  session(): HandlerPort {
    const session = this.nextSession++;
    return {
      run: async (calls, discarded) => (await this.ask({ type: 'run', id: 0, session, calls, discarded })).reply!,
      close: async () => void (await this.ask({ type: 'close', id: 0, session })),
    };
  }

  close(): void {
    this.port.close();
  }

  private ask(request: Request): Promise<Response> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.port.postMessage({ ...request, id });
    });
  }
}
