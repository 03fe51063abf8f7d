import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';

export interface PrintedPage { text: string; inkShare: number; rightMarginInk: number; png: string }

/**
 * Prints the page to PDF as "Print report" does (print media, A4) and reads it back page by page
 * with Poppler: each page's text (pdftotext) and its picture (pdftoppm, 40 dpi): the share of
 * non-white pixels, and the non-white pixels in the right margin's outer 8 mm (content cut at
 * the right edge or running past it).
 */
export async function printToPages(page: Page, dir: string): Promise<PrintedPage[]> {
  mkdirSync(dir, { recursive: true });
  const pdf = path.join(dir, 'report.pdf');
  await page.emulateMedia({ media: 'print' });
  writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
  await page.emulateMedia({ media: 'screen' });
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  execFileSync('pdftoppm', ['-r', '40', '-png', pdf, path.join(dir, 'page')]);
  const pngs = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f)).sort();
  const out: PrintedPage[] = [];
  for (let n = 1; n <= count; n++) {
    const text = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' });
    const file = path.join(dir, pngs[n - 1]);
    const img = PNG.sync.read(readFileSync(file));
    const margin = Math.round((8 / 25.4) * 40);
    let ink = 0;
    let edge = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const i = (y * img.width + x) * 4;
        const dark = img.data[i] < 235 || img.data[i + 1] < 235 || img.data[i + 2] < 235;
        if (!dark) continue;
        ink++;
        if (x >= img.width - margin) edge++;
      }
    }
    out.push({ text, inkShare: ink / (img.width * img.height), rightMarginInk: edge, png: file });
  }
  return out;
}
