/** The in-memory line of `monitor demo` and the benchmarks: the core's (core/serial-line.ts). */
export {
  createMemoryLine,
  type DeviceEnd,
  MemoryLine,
  memoryLine,
  removeMemoryLine,
} from '../../../core/serial-line.js';
