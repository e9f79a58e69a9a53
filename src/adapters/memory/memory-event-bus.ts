import { EventEmitter } from 'node:events';
import { cleanEvent, type EventBus, type OperatorEvent } from '../../ports/event-bus.js';

/** Operator events within one process. */
export class MemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open console is a listener; the default warning at 10 would be noise.
    this.emitter.setMaxListeners(0);
  }

  async publish(event: OperatorEvent): Promise<void> {
    this.emitter.emit('event', cleanEvent(event));
  }

  subscribe(listener: (event: OperatorEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async subscribed(): Promise<void> {}

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
