import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { packageRoot } from '../env/package.js';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The page's folder inside the package: served from the source tree, which ships with the package. */
export function staticRoot(): string {
  return join(packageRoot(), 'src', 'server', 'static');
}

/**
 * Reads the page's files once, at startup, into a table keyed by file name. A request can
 * only ever name an entry of this table, so no path it sends (`..`, encoded slashes, links)
 * can reach a file outside the folder: there is no path resolution at request time at all.
 */
export function loadStaticFiles(root = staticRoot()): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    const type = CONTENT_TYPES[extname(name).toLowerCase()];
    if (type === undefined || !statSync(path).isFile()) continue;
    files.set(name, { body: readFileSync(path), contentType: type });
  }
  return files;
}

/** The index page, with the lite class set on <html> so weak devices never start animations. */
export function pageHtml(index: Buffer, lite: boolean): Buffer {
  if (!lite) return index;
  return Buffer.from(index.toString('utf8').replace('<html lang="zh-CN">', '<html lang="zh-CN" class="lite">'));
}
