#!/usr/bin/env node
// Draws assets/icon.png: the connector icon required by Power Platform — 230x230, opaque,
// background exactly apiProperties.json's iconBrandColor, a white logo of about 160x160.
// The logo: two people (a partner handing a referral to another) over an arrow.
// Plain geometry sampled 4x4 per pixel, so the output is smooth and byte-for-byte repeatable.
// Usage: node scripts/make-icon.mjs [--root <dir>]
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { loadApiProperties } from './lib/api-properties.mjs';
import { ICON_FILE } from './lib/icon.mjs';
import { UserError, parseCli, runMain, writeIfChanged } from './lib/util.mjs';

const SIZE = 230;
const SAMPLES = 4;

const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** A person: round head, shoulders as the top half of a disc. `grow` widens the shape (for the cut-out halo). */
function inPerson(x, y, cx, grow = 0) {
  const head = inCircle(x, y, cx, 70, 23 + grow);
  const shoulders = y <= 150 + grow && inCircle(x, y, cx, 150, 44 + grow);
  return head || shoulders;
}

/** A left-to-right arrow under the people: shaft plus triangular head. */
function inArrow(x, y) {
  const shaft = x >= 44 && x <= 160 && Math.abs(y - 172) <= 6;
  const head = x >= 156 && x <= 186 && Math.abs(y - 172) <= (186 - x) * 0.6;
  return shaft || head;
}

/** True where the logo is white. Painter's order: back person, a brand-colour gap, front person. */
function isLogo(x, y) {
  if (inArrow(x, y)) return true;
  if (inPerson(x, y, 148)) return true;
  if (inPerson(x, y, 148, 7)) return false; // the gap that separates the front person from the back one
  return inPerson(x, y, 82);
}

function drawIcon(hex) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  if (!m) throw new UserError(`apiProperties.json: iconBrandColor ${JSON.stringify(hex)} is not #rrggbb.\nFix: set properties.iconBrandColor to the brand colour, e.g. "#0078d4".`);
  const bg = m.slice(1, 4).map((h) => Number.parseInt(h, 16));
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (isLogo(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
        }
      }
      const cover = hits / (SAMPLES * SAMPLES);
      const i = (py * SIZE + px) * 4;
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(bg[c] + (255 - bg[c]) * cover);
      png.data[i + 3] = 255;
    }
  }
  // RGB without alpha: the file cannot carry transparency at all.
  return PNG.sync.write(png, { colorType: 2, inputHasAlpha: true });
}

async function main() {
  const { root } = parseCli(process.argv.slice(2));
  const colour = loadApiProperties(root)?.properties?.iconBrandColor;
  const file = join(root, ICON_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const changed = writeIfChanged(file, drawIcon(colour));
  process.stdout.write(`${changed ? 'wrote' : 'unchanged'} ${ICON_FILE} (${SIZE}x${SIZE}, background ${colour})\n`);
}

await runMain('make-icon', main);
