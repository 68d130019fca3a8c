// Reading a folder of real connector packages (the calibration corpus): shared by lint:corpus
// and runtime:corpus so both walk the same files and tolerate the same deviations.
import * as fs from 'node:fs';
import { join } from 'node:path';
import JSON5 from 'json5';
import { jsonErrorAt } from './util.mjs';

/** Every file called `name` below `folder`, sorted so runs compare line by line. */
export function findFiles(folder, name) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === name) found.push(path);
    }
  };
  walk(folder);
  return found.sort();
}

/**
 * A package file as the platform reads it: a byte-order mark dropped, then strict JSON, then
 * JSON5, since accepted packages carry comments and trailing commas (the platform imported
 * them; that its reader tolerates them is an assumption drawn from that).
 * { value, text, notes } where text is the strict JSON text and notes name each tolerated
 * deviation; or { unreadable } saying why and where.
 */
export function readLenientJson(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { unreadable: `cannot read: ${err.message}` };
  }
  return parseLenientJson(text);
}

/** readLenientJson on text already read (a file's content at a git ref, say). */
export function parseLenientJson(text) {
  const notes = [];
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    notes.push('byte-order mark');
  }
  try {
    return { value: JSON.parse(text), text, notes };
  } catch (strictError) {
    try {
      const value = JSON5.parse(text);
      notes.push('not strict JSON (comments or trailing commas), read as JSON5');
      return { value, text: JSON.stringify(value, null, 2), notes };
    } catch {
      const at = jsonErrorAt(text, strictError.message);
      const where = at ? ` at line ${at.line}, column ${at.column}` : '';
      return { unreadable: `not JSON, even with comments and trailing commas allowed${where}: ${strictError.message}` };
    }
  }
}
