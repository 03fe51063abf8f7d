import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Heatmap } from './Heatmap';
import { InfluenceBars } from './InfluenceBars';

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('chart components (server-rendered markup)', () => {
  const attention = [0.7, 0.3, 0.2, 0.8, 0.5, 0.5];
  const taps = ['t1', 't2', 't3'];

  it('heatmap draws T×S focusable cells and marks exactly the kept rows', () => {
    const html = renderToStaticMarkup(
      <Heatmap attention={attention} T={3} S={2} teacherTaps={taps} studentTaps={['s1', 's2']} kept={[1, 1, 0]} label="Attention heatmap" />,
    );
    expect(count(html, 'tabindex="0"')).toBe(6);
    expect(count(html, 'data-kept="true"')).toBe(2);
    expect(count(html, 'data-kept="false"')).toBe(1);
    expect(html).toContain('aria-label="Teacher key t2 → student tap s2: attention 0.800"');
    expect(count(html, '>kept</text>')).toBe(2);
  });

  it('bars say kept or dropped in words, one list item per key', () => {
    const html = renderToStaticMarkup(
      <InfluenceBars influence={[0.7, 0.8, 0.5]} tau={0.6667} kept={[1, 1, 0]} teacherTaps={taps} label="Influence per teacher key" />,
    );
    expect(count(html, 'role="listitem"')).toBe(3);
    expect(html).toContain('aria-label="t3: influence 0.500, dropped"');
    expect(html).toMatch(/threshold τ = (<!-- -->)?0\.667/);
  });
});
