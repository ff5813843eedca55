import { describe, expect, it } from 'vitest';
import { cli, expectOneLineError } from '../cli/support/run-cli.js';

describe('every option value is validated', () => {
  it.each([
    [['metrics', '--since', 'abc'], "option '--since <minutes>' argument 'abc' is invalid. expected a positive number."],
    [['metrics', '--since', '-5'], "option '--since <minutes>' argument '-5' is invalid. expected a positive number."],
    [['metrics', '--since', '0'], "option '--since <minutes>' argument '0' is invalid. expected a positive number."],
    [['metrics', '--since', '0x10'], "option '--since <minutes>' argument '0x10' is invalid. expected a positive number."],
    [['metrics', '--since', ''], "option '--since <minutes>' argument '' is invalid. expected a positive number."],
    [['plan', 's.md', '--fps', '24abc'], "option '--fps <n>' argument '24abc' is invalid. expected a whole number from 1 to 120."],
    [['plan', 's.md', '--fps', '1000'], "option '--fps <n>' argument '1000' is invalid. expected a whole number from 1 to 120."],
    [['plan', 's.md', '--quality', 'fnal'], "option '--quality <preset>' argument 'fnal' is invalid. expected one of draft, standard, final (did you mean final?)."],
    [['plan', 's.md', '--style', 'vaporwave'], "option '--style <id>' argument 'vaporwave' is invalid. expected one of cinematic, anime, watercolor, noir, storyboard, photoreal, comic, pixel-art."],
    [['workers', 'list', '--timeout', '1e10'], "option '--timeout <seconds>' argument '1e10' is invalid. expected a positive number up to 2147483 seconds."],
    [['sim', '--workers', '1000'], "option '-n, --workers <n>' argument '1000' is invalid. expected a whole number from 1 to 64."],
    [['sim', '--time-scale', 'Infinity'], "option '--time-scale <x>' argument 'Infinity' is invalid. expected a positive number up to 1000."],
    [['sim', '--port', '80.5'], "option '-p, --port <port>' argument '80.5' is invalid. expected a port number between 0 and 65535."],
    [['preflight', 'g.json', '--expect', 'gif'], "option '--expect <kind>' argument 'gif' is invalid. expected one of image, images, video."],
    [['models', 'plan', 'sd15-t2i', '--vram', '-24'], "option '--vram <GB>' argument '-24' is invalid. expected a positive number up to 4096 GB."],
  ])('%j', async (argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toBe(`error: ${message} — see storycore --help`);
  });
});
