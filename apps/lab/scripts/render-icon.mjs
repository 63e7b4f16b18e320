#!/usr/bin/env node
// Renders build/icon.svg to build/icon.png (1024×1024, transparent) with Debian's headless Chromium.
// Run from apps/lab: node scripts/render-icon.mjs
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
const svg = readFileSync('build/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
await page.setContent(
  `<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', 'width="1024" height="1024"')}</body></html>`,
);
const png = await page.locator('svg').screenshot({ omitBackground: true });
writeFileSync('build/icon.png', png);
await browser.close();
