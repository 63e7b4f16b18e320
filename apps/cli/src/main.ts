#!/usr/bin/env node
/**
 * The `optlab` executable: runs `main` on the process's arguments, cancels a running experiment
 * on Ctrl-C (result files stay consistent), and exits with main's code.
 */
import { main } from './cli.js';
import { nodeIo } from './io.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.exitCode = await main(process.argv.slice(2), nodeIo(controller.signal));
