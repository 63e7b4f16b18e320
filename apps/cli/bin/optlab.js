#!/usr/bin/env node
// Entry point installed as `optlab`; the compiled CLI lives in dist/ (npm run build).
import '../dist/main.js';
