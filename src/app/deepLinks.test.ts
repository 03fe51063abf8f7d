import { describe, expect, it } from 'vitest';
import { sectionOf, targetOf } from './deepLinks';

describe('deep links', () => {
  it('maps the short names to the step ids and keeps the others', () => {
    expect(targetOf('#card')).toBe('step-card');
    expect(targetOf('#explorer')).toBe('explorer');
    expect(targetOf('#network')).toBe('network');
    expect(targetOf('#training')).toBe('step-train');
    expect(targetOf('#step-dataset')).toBe('step-dataset');
    expect(targetOf('')).toBe('');
  });
  it('opens the explorer for the network view', () => {
    expect(sectionOf('network')).toBe('explorer');
    expect(sectionOf('step-card')).toBe('step-card');
  });
});
