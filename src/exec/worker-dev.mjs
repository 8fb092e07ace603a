// Worker entry when sift runs from its TypeScript sources (tests, development): registers the tsx
// loader in this thread, then loads the real entry. Compiled builds start dist/.../worker.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
