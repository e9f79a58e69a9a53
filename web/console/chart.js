// A tiny horizontal bar chart in SVG, written for the console (no chart library, no CDN).

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Horizontal bars, one per `{ label, value }`. The chart is an image with a text alternative
 * listing every value, so a screen reader gets the same figures as the eye.
 */
export function barChart({ title, data, format = (v) => String(v), width = 360 }) {
  const rowHeight = 26;
  const labelWidth = Math.min(150, Math.round(width * 0.4));
  const valueWidth = 56;
  const barSpace = width - labelWidth - valueWidth - 8;
  const height = Math.max(1, data.length) * rowHeight + 4;
  const max = Math.max(0, ...data.map((d) => (Number.isFinite(d.value) ? d.value : 0)));
  const summary = data.map((d) => `${d.label}: ${format(d.value)}`).join('; ');
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `${title}. ${summary}`,
    class: 'chart',
  });
  svg.append(el('title', {}, `${title}. ${summary}`));
  data.forEach((d, i) => {
    const y = i * rowHeight + 2;
    const value = Number.isFinite(d.value) ? d.value : 0;
    const barWidth = max > 0 ? Math.max(value > 0 ? 2 : 0, Math.round((value / max) * barSpace)) : 0;
    svg.append(
      el('text', { x: labelWidth - 6, y: y + 17, 'text-anchor': 'end', class: 'chart-label' }, d.label),
    );
    svg.append(
      el('rect', {
        x: labelWidth,
        y: y + 4,
        width: barWidth,
        height: rowHeight - 8,
        rx: 3,
        class: `chart-bar ${d.className ?? ''}`.trim(),
      }),
    );
    svg.append(
      el('text', { x: labelWidth + barWidth + 6, y: y + 17, class: 'chart-value' }, format(d.value)),
    );
  });
  return svg;
}
