/**
 * The PDF made off the API's event loop: renderFormPdf runs in worker threads (node:worker_threads),
 * at most PDF_THREADS at once, each render bounded in time (the thread is ended and PdfTimedOut
 * thrown), and the result kept by a hash of everything printed, so asking again costs nothing.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { FontMissing } from './fonts';
import type { PrintForm } from './model';

export const PDF_THREADS = 2;
export const PDF_TIMEOUT_MS = 30_000;
const CACHE_MAX_BYTES = 64 * 2 ** 20;

export class PdfTimedOut extends Error {}

// The thread loads the TypeScript sources the way the API does (tsx), whatever started the process.
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
require('tsx/cjs/api').register();
const { renderFormPdf } = require(${JSON.stringify(require.resolve('./pdf'))});
// Buffers arrive as plain Uint8Arrays; pdfkit wants Buffers for images.
const revive = (v) => v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  : Array.isArray(v) ? v.map(revive)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)])) : v;
parentPort.on('message', async (form) => {
  if (form && form.warm) {
    // Ahead of the first PDF: the faces parsed and read ahead, and one made-up form rendered.
    let glyphs = 0;
    try {
      const fonts = require(${JSON.stringify(require.resolve('./fonts'))});
      const found = fonts.findCjkFonts();
      glyphs = fonts.warmFont(found.regular) + fonts.warmFont(found.bold, ${JSON.stringify('家校社协同育人“教联体”登记表')}, false);
      await require(${JSON.stringify(require.resolve('./pdf'))}).warmUpRenderer(fonts.commonCharacters());
    } catch {
      /* no CJK font: the render itself says so */
    }
    parentPort.postMessage({ warmed: glyphs });
    return;
  }
  try {
    const pdf = await renderFormPdf(revive(form));
    parentPort.postMessage({ pdf }, [pdf.buffer]);
  } catch (err) {
    parentPort.postMessage({ error: { name: err && err.constructor && err.constructor.name, message: String(err && err.message || err) } });
  }
});
`;

const idle: Worker[] = [];
let running = 0;
const waiting: (() => void)[] = [];

function newThread(): Worker {
  const w = new Worker(THREAD_SOURCE, { eval: true });
  w.unref();
  return w;
}

async function inThread(form: PrintForm, timeoutMs: number): Promise<Buffer> {
  if (running >= PDF_THREADS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  const thread = idle.pop() ?? newThread();
  let healthy = true;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        healthy = false;
        void thread.terminate();
        reject(new PdfTimedOut(`PDF rendering took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        thread.off('message', onMessage);
        thread.off('error', onError);
      };
      const onMessage = (m: { pdf?: Uint8Array; error?: { name: string; message: string } }) => {
        done();
        if (m.pdf) resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
        else reject(m.error?.name === 'FontMissing' ? new FontMissing(m.error.message) : new Error(m.error?.message ?? 'PDF rendering failed'));
      };
      const onError = (err: Error) => {
        healthy = false;
        done();
        reject(err);
      };
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.postMessage(form);
    });
  } finally {
    if (healthy) idle.push(thread);
    running--;
    waiting.shift()?.();
  }
}

/**
 * Starts `count` PDF threads ahead of the first PDF (the API does at start-up, in the background):
 * each loads the renderer, parses the CJK faces and outlines the common characters, so the first
 * PDF costs what later ones do. Answers the glyphs made ready per thread.
 */
export async function prewarmPdfThreads(count = 1): Promise<number[]> {
  return Promise.all(
    Array.from({ length: Math.min(count, PDF_THREADS) }, async () => {
      if (running >= PDF_THREADS) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      const thread = newThread();
      try {
        const glyphs = await new Promise<number>((resolve, reject) => {
          const onError = (err: Error) => reject(err);
          thread.once('error', onError);
          thread.once('message', (m: { warmed?: number }) => {
            thread.off('error', onError);
            resolve(m.warmed ?? 0);
          });
          thread.postMessage({ warm: true });
        });
        idle.push(thread);
        return glyphs;
      } catch {
        void thread.terminate();
        return 0;
      } finally {
        running--;
        waiting.shift()?.();
      }
    }),
  );
}

// --- cache by content --------------------------------------------------------------------------

const cache = new Map<string, Buffer>();
let cachedBytes = 0;

/** A hash of everything the PDF shows (images by the hash of their bytes). */
export function printFormHash(form: PrintForm): string {
  const plain = (v: unknown): unknown =>
    Buffer.isBuffer(v)
      ? `sha256:${createHash('sha256').update(v).digest('hex')}`
      : Array.isArray(v)
        ? v.map(plain)
        : v && typeof v === 'object' && !(v instanceof Date)
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
          : v;
  return createHash('sha256').update(JSON.stringify(plain(form))).digest('hex');
}

function remember(key: string, pdf: Buffer) {
  if (pdf.length > CACHE_MAX_BYTES / 4) return;
  cache.set(key, pdf);
  cachedBytes += pdf.length;
  for (const [k, v] of cache) {
    if (cachedBytes <= CACHE_MAX_BYTES) break;
    cache.delete(k);
    cachedBytes -= v.length;
  }
}

/** The form's PDF: from the cache when the same content was printed before, else made in a thread within the time bound. */
export async function renderFormPdfOffThread(form: PrintForm, opts: { timeoutMs?: number } = {}): Promise<Buffer> {
  const key = printFormHash(form);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    return hit;
  }
  const pdf = await inThread(form, opts.timeoutMs ?? PDF_TIMEOUT_MS);
  remember(key, pdf);
  return pdf;
}
