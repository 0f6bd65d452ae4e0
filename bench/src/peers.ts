import { EventEmitter as NodeEventEmitter } from 'node:events';
import Emittery from 'emittery';
import EventEmitter2Import from 'eventemitter2';
import { EventEmitter as EventEmitter3 } from 'eventemitter3';
import mittImport from 'mitt';
import { createNanoEvents } from 'nanoevents';
import { EventEmitter as Tseep } from 'tseep';

// mitt and eventemitter2 type a CommonJS module whose `default` is the export, while Node
// loads the export itself as the default (mitt's ESM build; eventemitter2's module.exports).
const mitt: typeof mittImport.default =
  typeof mittImport === 'function' ? mittImport : mittImport.default;
export const EventEmitter2: typeof EventEmitter2Import.default =
  typeof EventEmitter2Import === 'function' ? EventEmitter2Import : EventEmitter2Import.default;

/** A handler as the peers call it: with the payload only. */
export type PeerHandler = (data: unknown) => void;

/**
 * One peer emitter, wrapped so that the hot loops run inside the library's own closure (one
 * call per batch, not one adapter call per event).
 */
export interface PeerEmitter {
  /** Subscribes; returns the unsubscribe. */
  on(type: string, handler: PeerHandler): () => void;
  /** Emits `count` events of one type, not awaiting any. */
  emitMany(type: string, data: unknown, count: number): void;
  /** Subscribes and unsubscribes a handler `count` times. */
  churn(type: string, handler: PeerHandler, count: number): void;
}

/** A peer library: its name in the tables, its npm package (for the version), its factory. */
export interface Peer {
  readonly library: string;
  readonly pkg: string | undefined;
  create(): PeerEmitter;
}

/** The hand-written reference: a map of handler arrays and a plain loop. */
export function createReference(): PeerEmitter {
  const all = new Map<string, PeerHandler[]>();
  const on = (type: string, handler: PeerHandler) => {
    all.set(type, [...(all.get(type) ?? []), handler]);
    return () => {
      all.set(
        type,
        (all.get(type) ?? []).filter((h) => h !== handler),
      );
    };
  };
  return {
    on,
    emitMany(type, data, count) {
      for (let i = 0; i < count; i++) {
        const handlers = all.get(type);
        if (handlers === undefined) continue;
        for (let j = 0; j < handlers.length; j++) (handlers[j] as PeerHandler)(data);
      }
    },
    churn(type, handler, count) {
      for (let i = 0; i < count; i++) on(type, handler)();
    },
  };
}

/**
 * The peers every synchronous scenario compares: the reference first. Each adapter is written
 * out on its own on purpose: V8 keeps one inline cache per call site of the source, so a
 * shared adapter would make `emit` polymorphic across peers and slow all of them down.
 */
export const PEERS: readonly Peer[] = [
  { library: 'reference', pkg: undefined, create: createReference },
  {
    library: 'eventemitter3',
    pkg: 'eventemitter3',
    create() {
      const ee = new EventEmitter3();
      return {
        on(type, handler) {
          ee.on(type, handler);
          return () => ee.off(type, handler);
        },
        emitMany(type, data, count) {
          for (let i = 0; i < count; i++) ee.emit(type, data);
        },
        churn(type, handler, count) {
          for (let i = 0; i < count; i++) {
            ee.on(type, handler);
            ee.off(type, handler);
          }
        },
      };
    },
  },
  {
    library: 'mitt',
    pkg: 'mitt',
    create() {
      const emitter = mitt<Record<string, unknown>>();
      return {
        on(type, handler) {
          emitter.on(type, handler);
          return () => emitter.off(type, handler);
        },
        emitMany(type, data, count) {
          for (let i = 0; i < count; i++) emitter.emit(type, data);
        },
        churn(type, handler, count) {
          for (let i = 0; i < count; i++) {
            emitter.on(type, handler);
            emitter.off(type, handler);
          }
        },
      };
    },
  },
  {
    library: 'tseep',
    pkg: 'tseep',
    create() {
      const ee = new Tseep<Record<string, PeerHandler>>();
      return {
        on(type, handler) {
          ee.on(type, handler);
          return () => {
            ee.off(type, handler);
          };
        },
        emitMany(type, data, count) {
          for (let i = 0; i < count; i++) ee.emit(type, data);
        },
        churn(type, handler, count) {
          for (let i = 0; i < count; i++) {
            ee.on(type, handler);
            ee.off(type, handler);
          }
        },
      };
    },
  },
  {
    library: 'eventemitter2',
    pkg: 'eventemitter2',
    create() {
      const ee = new EventEmitter2({ maxListeners: 0 });
      return {
        on(type, handler) {
          ee.on(type, handler);
          return () => {
            ee.off(type, handler);
          };
        },
        emitMany(type, data, count) {
          for (let i = 0; i < count; i++) ee.emit(type, data);
        },
        churn(type, handler, count) {
          for (let i = 0; i < count; i++) {
            ee.on(type, handler);
            ee.off(type, handler);
          }
        },
      };
    },
  },
  {
    library: 'nanoevents',
    pkg: 'nanoevents',
    create() {
      const emitter = createNanoEvents<Record<string, PeerHandler>>();
      return {
        on: (type, handler) => emitter.on(type, handler),
        emitMany(type, data, count) {
          for (let i = 0; i < count; i++) emitter.emit(type, data);
        },
        churn(type, handler, count) {
          for (let i = 0; i < count; i++) emitter.on(type, handler)();
        },
      };
    },
  },
  {
    library: 'node:events',
    pkg: undefined,
    create() {
      const ee = new NodeEventEmitter();
      ee.setMaxListeners(0);
      return {
        on(type, handler) {
          ee.on(type, handler);
          return () => {
            ee.off(type, handler);
          };
        },
        emitMany(type, data, count) {
          for (let i = 0; i < count; i++) ee.emit(type, data);
        },
        churn(type, handler, count) {
          for (let i = 0; i < count; i++) {
            ee.on(type, handler);
            ee.off(type, handler);
          }
        },
      };
    },
  },
  {
    library: 'emittery',
    pkg: 'emittery',
    create() {
      const emitter = new Emittery<Record<string, unknown>>();
      return {
        on: (type, handler) => emitter.on(type, handler),
        emitMany(type, data, count) {
          for (let i = 0; i < count; i++) void emitter.emit(type, data);
        },
        churn(type, handler, count) {
          for (let i = 0; i < count; i++) emitter.on(type, handler)();
        },
      };
    },
  },
];

/** The npm packages whose versions the report lists. */
export const PEER_PACKAGES = [
  'emittery',
  'eventemitter2',
  'eventemitter3',
  'mitt',
  'nanoevents',
  'tseep',
  'zod',
  'tinybench',
  'typescript',
  'esbuild',
] as const;
