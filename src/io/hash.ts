import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';

/** sha256 of a file, streamed (model files are hundreds of MB). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

/** sha256 of a small file read at once (datasets). */
export function sha256SmallFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
