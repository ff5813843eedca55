import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { copyLiterals, parseKeepingLiterals } from '../../src/comfy/py-literals.js';
import { startEmulator } from '../../src/sim/index.js';
import { pyDumps } from '../../src/sim/server/py-json.js';

describe('numbers keep the text Python wrote', () => {
  it('round-trips 1.0 vs 1 and integers beyond 2^53 through parse and Python-style dumps', () => {
    const text = '{"a": [1.0, 1, 2.5, 1e-09, 1e+20, -0.0], "seed": {"min": 0, "max": 18446744073709551615}, "big": -9223372036854775807, "s": "1.0 \\" 2"}';
    const parsed = parseKeepingLiterals(text);
    expect(parsed).toEqual({ a: [1, 1, 2.5, 1e-9, 1e20, -0], seed: { min: 0, max: 2 ** 64 }, big: -(2 ** 63), s: '1.0 " 2' });
    expect(pyDumps(parsed)).toBe(text);
    // The marks are invisible: keys, JSON and equality see plain numbers.
    expect(JSON.stringify(parsed)).toBe('{"a":[1,1,2.5,1e-9,100000000000000000000,0],"seed":{"min":0,"max":18446744073709552000},"big":-9223372036854776000,"s":"1.0 \\" 2"}');
  });

  it('an overwritten value prints as its new self, not the stale literal', () => {
    const parsed = parseKeepingLiterals('{"x": 1.0}') as { x: number };
    parsed.x = 2;
    expect(pyDumps(parsed)).toBe('{"x": 2}');
  });

  it('survives a structural copy (zod output) through copyLiterals', () => {
    const raw = parseKeepingLiterals('{"k": {"v": [3.0]}}');
    const copy = structuredClone(raw);
    expect(pyDumps(copy)).toBe('{"k": {"v": [3]}}');
    copyLiterals(raw, copy);
    expect(pyDumps(copy)).toBe('{"k": {"v": [3.0]}}');
  });

  it('the recorded object_info prints KSampler.seed max and ImageBlur.sigma exactly as ComfyUI 0.3.64 served them', () => {
    const info = defaultObjectInfo();
    expect(pyDumps(info.KSampler!.input.required!.seed)).toContain('"max": 18446744073709551615');
    expect(pyDumps(info.ImageBlur!.input.required!.sigma)).toBe('["FLOAT", {"default": 1.0, "min": 0.1, "max": 10.0, "step": 0.1}]');
  });

  it('an int beyond 2^53 without a literal prints as an integer Python could send, never as JS rounds it', () => {
    expect(pyDumps({ seed: 2 ** 64 })).toBe('{"seed": 18446744073709551615}');
    expect(pyDumps({ n: 2 ** 60 + 2 ** 10 })).toBe(`{"n": ${(2n ** 60n + 2n ** 10n).toString()}}`);
  });
});

describe('the emulator serves node definitions with the numbers ComfyUI sends', () => {
  it.each(['0.3.64', 'current'] as const)('%s: /object_info keeps 2^64-1 and 1.0', async (comfyui) => {
    const emu = await startEmulator({ timeScale: 0, comfyui });
    try {
      const seed = await (await fetch(`${emu.url}/object_info/KSampler`)).text();
      expect(seed).toContain('"seed": ["INT", {"default": 0, "min": 0, "max": 18446744073709551615, "control_after_generate": true');
      expect(seed).not.toContain('18446744073709552000');
      const blur = await (await fetch(`${emu.url}/api/object_info/ImageBlur`)).text();
      expect(blur).toContain('"sigma": ["FLOAT", {"default": 1.0, "min": 0.1, "max": 10.0, "step": 0.1}]');
      const all = await (await fetch(`${emu.url}/object_info`)).text();
      expect(all).not.toContain('18446744073709552000');
      expect(all).toContain('"cfg": ["FLOAT", {"default": 8.0, "min": 0.0, "max": 100.0, "step": 0.1, "round": 0.01');
    } finally {
      await emu.close();
    }
  });
});

describe('a prompt with an int beyond 2^53 comes back unchanged', () => {
  it('in /queue, /history and /api/jobs/{id}, as Python echoes it', async () => {
    const emu = await startEmulator({ timeScale: 0 });
    try {
      const seed = '12345678901234567891';
      const body = `{"prompt": {"1": {"class_type": "RandomNoise", "inputs": {"noise_seed": ${seed}}}, "2": {"class_type": "PreviewAny", "inputs": {"source": ["1", 0]}}}}`;
      const posted = await fetch(`${emu.url}/prompt`, { method: 'POST', body });
      const { prompt_id: id } = (await posted.json()) as { prompt_id: string };
      let history = '';
      for (let i = 0; i < 200 && !history.includes(id); i++) {
        history = await (await fetch(`${emu.url}/history/${id}`)).text();
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(history).toContain(`"noise_seed": ${seed}`);
      expect(await (await fetch(`${emu.url}/api/jobs/${id}`)).text()).toContain(`"noise_seed": ${seed}`);
      // JS alone would have rounded it.
      expect(String(Number(seed))).not.toBe(seed);
    } finally {
      await emu.close();
    }
  });
});
