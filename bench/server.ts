/**
 * Benchmark server: our emulator behind node:http on a free loopback port, in its own process.
 * Started by bench/lib/proc.ts with the options as JSON in argv[2]; answers over IPC with its
 * port, then with server-side response counts ("stats"), resets them ("reset-stats") and changes
 * referrals ("touch N").
 * Counting in onResponse sees every answer, unlike the bounded request log.
 */
import { ReferralsEmulator } from '../src/emulator/core/index.js';
import { startEmulatorServer } from '../src/emulator/http.js';
import type { EmulatorProcessOptions, ServerStats } from './lib/proc.js';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorProcessOptions;
let byStatus: Record<string, number> = {};
const emulator = new ReferralsEmulator({
  count: options.count,
  seed: options.seed ?? 1,
  rateLimit: options.rateLimit,
  onResponse: ({ response }) => {
    byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
  },
});
const server = await startEmulatorServer({ emulator, port: 0, host: '127.0.0.1' });

process.on('message', (m: { id: number; cmd: string }) => {
  let result: ServerStats | undefined;
  if (m.cmd === 'stats') result = { byStatus, total: Object.values(byStatus).reduce((a, b) => a + b, 0) };
  else if (m.cmd === 'reset-stats') byStatus = {};
  // "touch N": N referrals change on the service (a new eTag and updatedDateTime each), for the sync benchmark.
  else if (m.cmd.startsWith('touch ')) for (const r of emulator.store.list().slice(0, Number(m.cmd.slice(6)))) emulator.store.update(r.id, (x) => void (x.name = `${String(x.name)} *`));
  process.send!({ id: m.id, result });
});
process.once('SIGTERM', () => void server.close().finally(() => process.exit(0)));
process.once('disconnect', () => void server.close().finally(() => process.exit(0)));
process.send!({ id: -1, result: { port: server.port, apiUrl: server.apiUrl } });
