/** Entry of the `core` benchmark (see core.ts). */
import { benchCore } from './core.js';

await benchCore();
