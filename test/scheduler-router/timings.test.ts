import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LearnedTimings, TimingsFileError, sizeBucket } from '../../src/scheduler/timings/index.js';

const key = { templateId: 'wan22-i2v-14b', worker: 'gpu-a', bucket: sizeBucket({ width: 640, height: 640, frames: 81 }) };

describe('learned timings', () => {
  it('buckets by pixels × frames on a power-of-two scale', () => {
    expect(sizeBucket({ width: 640, height: 640, frames: 81 })).toBe(sizeBucket({ width: 832, height: 480, frames: 81 }));
    expect(sizeBucket({ width: 640, height: 640, frames: 161 })).not.toBe(sizeBucket({ width: 640, height: 640, frames: 81 }));
  });

  it('starts from the catalogue, replaces it with the first run, then moves as an EWMA', () => {
    const t = new LearnedTimings({ alpha: 0.3 });
    expect(t.expected(key, 480_000)).toEqual({ ms: 480_000, source: 'catalog', samples: 0 });
    expect(t.observe(key, 400_000, 480_000).ms).toBe(400_000);
    expect(t.observe(key, 500_000, 480_000).ms).toBe(450_000); // weight 1/2 for the second run
    expect(t.observe(key, 450_000, 480_000).ms).toBeCloseTo(450_000, 6); // 1/3
    t.observe(key, 450_000, 480_000); // 0.3 from the fourth on (1/4 < alpha)
    expect(t.observe(key, 550_000, 480_000).ms).toBeCloseTo(450_000 + 0.3 * 100_000, 6);
    expect(t.expected(key, 480_000)).toMatchObject({ source: 'learned', samples: 5 });
  });

  it('scales the estimate of a worker that never ran a template by how far the catalogue was off for it', () => {
    const t = new LearnedTimings();
    t.observe({ templateId: 'qwen-image-t2i', worker: 'gpu-b', bucket: 'px2^20' }, 30_000, 40_000);
    const e = t.expected({ ...key, worker: 'gpu-b' }, 480_000);
    expect(e.source).toBe('scaled');
    expect(e.ms).toBeCloseTo(360_000, 6);
    // Another worker with no history borrows this template's ratio from the workers that ran it.
    t.observe(key, 240_000, 480_000);
    expect(t.expected({ ...key, worker: 'gpu-c' }, 500_000).ms).toBeCloseTo(250_000, 6);
  });

  it('persists atomically and reads back what it wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timings-'));
    const path = join(dir, 'nested', 'timings.json');
    const t = LearnedTimings.open(path);
    t.observe(key, 420_000, 480_000);
    t.save();
    const again = LearnedTimings.open(path);
    expect(again.expected(key, 480_000)).toEqual({ ms: 420_000, source: 'learned', samples: 1 });
    expect(JSON.parse(readFileSync(path, 'utf8')).version).toBe(1);
  });

  it('refuses a corrupt file with a typed error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timings-'));
    const path = join(dir, 'timings.json');
    writeFileSync(path, '{"version":1,"alpha":0.3,"entries":[{"templateId":"x"}]}');
    expect(() => LearnedTimings.open(path)).toThrow(TimingsFileError);
  });
});
