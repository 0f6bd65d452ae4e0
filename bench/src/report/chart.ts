import type { ScenarioResult } from '../results.js';
import { formatNumber, xml } from './format.js';

const WIDTH = 760;
const LABEL = 190;
const VALUE = 80;
const BAR_HEIGHT = 16;
const GAP = 4;
const TITLE = 26;

/**
 * Draws the timed scenarios as one SVG of horizontal bar charts, one panel per scenario, on a
 * logarithmic scale (the peers span three orders of magnitude); gossip's bars stand out.
 *
 * @param results - the scenario tables; those in ns/event or ns/op are drawn
 * @returns the SVG document
 */
export function renderChart(results: readonly ScenarioResult[]): string {
  const panels = results.filter((r) => r.unit === 'ns/event' || r.unit === 'ns/op');
  const plot = WIDTH - LABEL - VALUE - 20;
  let y = 10;
  const parts: string[] = [];
  for (const panel of panels) {
    const rows = panel.rows.filter((row) => row.median > 0);
    const max = Math.max(...rows.map((row) => row.median));
    const min = Math.min(...rows.map((row) => row.median));
    const lo = 10 ** Math.floor(Math.log10(min));
    const hi = 10 ** Math.ceil(Math.log10(max));
    const span = Math.log10(hi) - Math.log10(lo) || 1;
    const x = (value: number) => LABEL + (plot * (Math.log10(value) - Math.log10(lo))) / span;
    parts.push(
      `<text x="10" y="${String(y + 16)}" class="title">${xml(panel.title)} (${xml(panel.unit)}, log scale)</text>`,
    );
    y += TITLE;
    const top = y;
    const bottom = y + rows.length * (BAR_HEIGHT + GAP);
    for (let decade = lo; decade <= hi; decade *= 10) {
      const gx = x(decade).toFixed(1);
      parts.push(
        `<line x1="${gx}" y1="${String(top - 2)}" x2="${gx}" y2="${String(bottom)}" class="grid"/>`,
        `<text x="${gx}" y="${String(bottom + 12)}" class="axis">${formatNumber(decade)}</text>`,
      );
    }
    for (const row of rows) {
      const gossip = row.library.startsWith('gossip');
      const width = Math.max(1, x(row.median) - LABEL);
      parts.push(
        `<text x="${String(LABEL - 6)}" y="${String(y + 12)}" class="label">${xml(row.library)}</text>`,
        `<rect x="${String(LABEL)}" y="${String(y)}" width="${width.toFixed(1)}" height="${String(BAR_HEIGHT)}" class="${gossip ? 'gossip' : 'peer'}"/>`,
        `<text x="${(LABEL + width + 4).toFixed(1)}" y="${String(y + 12)}" class="value">${formatNumber(row.median)}</text>`,
      );
      y += BAR_HEIGHT + GAP;
    }
    y = bottom + 28;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(y)}" viewBox="0 0 ${String(WIDTH)} ${String(y)}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">
<style>
.title { font-weight: 600; font-size: 13px; fill: #222; }
.label { text-anchor: end; fill: #333; }
.value { fill: #333; }
.axis { text-anchor: middle; fill: #777; font-size: 10px; }
.grid { stroke: #ddd; stroke-width: 1; }
.gossip { fill: #d9480f; }
.peer { fill: #4c6ef5; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}
