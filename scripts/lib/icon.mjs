// The certification rules for icon.png: a real PNG, square, 100-512 px, fully opaque, with a
// background (the four corners) exactly the iconBrandColor of apiProperties.json (whose own
// rules, reserved colours included, lib/api-properties.mjs checks).
import { PNG } from 'pngjs';

export const ICON_FILE = 'assets/icon.png';
const hex = (r, g, b) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** Returns a list of problems (empty when the icon is fine); each names `label`. */
export function iconProblems(buffer, brandColor, label = ICON_FILE) {
  let png;
  try {
    png = PNG.sync.read(buffer);
  } catch (err) {
    return [`${label}: not a valid PNG image (${err.message}).\n  Fix: regenerate it with \`node scripts/make-icon.mjs\` or export a PNG.`];
  }
  const problems = [];
  const { width, height, data } = png;
  if (width !== height) problems.push(`${label}: ${width}x${height} is not square.\n  Fix: use a square image, about 230x230.`);
  if (width < 100 || width > 512 || height < 100 || height > 512) {
    problems.push(`${label}: ${width}x${height} is outside 100-512 px.\n  Fix: use about 230x230 with the logo about 160x160.`);
  }
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] !== 255) {
      const px = (i - 3) / 4;
      problems.push(`${label}: pixel (${px % width}, ${Math.floor(px / width)}) is transparent (alpha ${data[i]}).\n  Fix: fill the whole background with iconBrandColor ${brandColor}; no transparency is allowed.`);
      break;
    }
  }
  const colour = String(brandColor).toLowerCase();
  const corners = [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]];
  for (const [x, y] of corners) {
    const i = (y * width + x) * 4;
    const actual = hex(data[i], data[i + 1], data[i + 2]);
    if (actual !== colour) {
      problems.push(`${label}: corner pixel (${x}, ${y}) is ${actual}, but apiProperties.json iconBrandColor is ${colour}.\n  Fix: make the icon background exactly ${colour} (or change iconBrandColor to match the icon).`);
      break;
    }
  }
  return problems;
}
