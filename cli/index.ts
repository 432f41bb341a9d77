/** Bundle entry of the command line. */
import { run } from './main.js';

void run(process.argv.slice(2));
