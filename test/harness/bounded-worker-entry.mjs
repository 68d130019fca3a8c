// Worker side of bounded-worker.ts. Plain JavaScript so that it starts without a loader; it
// registers tsx itself, then runs the module's default export on each item of a batch and
// writes the index of the item it is on into shared memory, which the host watches.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { module, progress: buffer } = workerData;
const progress = new Int32Array(buffer);
const run = (await import(module)).default;
if (typeof run !== 'function') throw new TypeError(`${module} has no default export to run`);

parentPort.on('message', async (items) => {
  const results = [];
  for (let i = 0; i < items.length; i++) {
    Atomics.store(progress, 0, i);
    Atomics.add(progress, 1, 1);
    try {
      results.push({ ok: true, value: await run(items[i]) });
    } catch (err) {
      results.push({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  }
  parentPort.postMessage(results);
});
parentPort.postMessage('ready');
