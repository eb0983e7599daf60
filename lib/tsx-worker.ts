import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module: tsx's loader is registered inside the worker
 * before the module loads (a worker does not inherit the parent's loader). Unref'd, so an idle
 * worker never keeps the process alive.
 */
export function tsxWorker(moduleUrl: string, tsxApiUrl: string): Worker {
  const boot = `import(${JSON.stringify(tsxApiUrl)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); })`;
  const worker = new Worker(boot, { eval: true });
  worker.unref();
  return worker;
}
