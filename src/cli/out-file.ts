/**
 * `export --out FILE`: whole or not at all. The data streams into a temporary file next to
 * FILE, renamed over it only when complete; a failure, Ctrl-C or SIGTERM removes the temporary
 * file and leaves FILE as it was. The path is checked, and the temporary file created, before
 * anything is fetched, so a bad path costs no export. Messages name FILE, never the temporary
 * file, which the user never asked for.
 */
import { createWriteStream, rmSync, statSync, type Stats, type WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError } from './args.js';

/** Temporary files still open, removed when the process exits, however it exits. */
export const partialFiles = new Set<string>();

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'it is a folder',
  ENOENT: 'the folder no longer exists',
  ENOTDIR: 'a part of the path is not a folder',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
};

/** The file's stat, or undefined when there is none (also when a part of the path is a file). */
export function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** A file system error in words with its code, without the path it names (the temporary file's). */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code ? `${REASONS[code] ?? 'the system refused'} (${code})` : String((err as Error)?.message ?? err);
}

export class OutFile {
  private readonly stream: WriteStream;
  /** Rejects on the first write error; raced with every write. */
  private readonly failed: Promise<never>;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    stream: WriteStream,
  ) {
    this.stream = stream;
    this.failed = new Promise<never>((_, reject) => stream.once('error', reject));
    this.failed.catch(() => {}); // seen through the races below
  }

  /** Checks `path` and creates the temporary file; `ext` suggests a file name when `path` is a folder. */
  static async open(path: string, ext: string): Promise<OutFile> {
    if (statIfAny(path)?.isDirectory()) {
      throw new CliError(`--out ${path} is a folder; give the path of a file, such as ${join(path, `referrals.${ext}`)}.`);
    }
    const dir = dirname(path);
    const folder = statIfAny(dir);
    if (!folder) throw new CliError(`--out ${path}: the folder ${dir} does not exist; create it, or write the file somewhere else.`);
    if (!folder.isDirectory()) throw new CliError(`--out ${path}: ${dir} is not a folder.`);
    const tmp = `${path}.partial-${process.pid}`;
    const stream = createWriteStream(tmp);
    partialFiles.add(tmp);
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('ready', () => resolve());
        stream.once('error', reject);
      });
    } catch (err) {
      partialFiles.delete(tmp);
      rmSync(tmp, { force: true });
      throw new CliError(`--out ${path}: cannot create a file in ${dir}: ${fsReason(err)}.`);
    }
    return new OutFile(path, tmp, stream);
  }

  /** Writes, waiting for the stream to drain when it asks to, so memory stays flat. */
  async write(text: string): Promise<void> {
    try {
      if (!this.stream.write(text)) await Promise.race([new Promise<void>((resolve) => this.stream.once('drain', () => resolve())), this.failed]);
    } catch (err) {
      throw this.writeFailed(err);
    }
  }

  /** Completes the file: FILE now holds everything written. */
  async commit(): Promise<void> {
    try {
      await Promise.race([new Promise((resolve) => this.stream.end(resolve)), this.failed]);
      await rename(this.tmp, this.path);
      partialFiles.delete(this.tmp);
    } catch (err) {
      throw this.writeFailed(err);
    }
  }

  /** Removes the temporary file; FILE stays as it was. Safe to call more than once. */
  async discard(): Promise<void> {
    // Closed before removed: a stream still opening would otherwise create the file after rm.
    if (!this.stream.closed) await new Promise<void>((resolve) => this.stream.destroy().once('close', () => resolve()));
    rmSync(this.tmp, { force: true });
    partialFiles.delete(this.tmp);
  }

  private writeFailed(err: unknown): CliError {
    return new CliError(`Writing ${this.path} failed: ${fsReason(err)}. Nothing was written to ${this.path}.`);
  }
}
