import { execFileSync } from 'node:child_process';

/**
 * Tests that need a system service (redis-server, ffmpeg, chromium) call this in a
 * `describe.skipIf(...)`. Locally a missing service skips with a message naming the Debian
 * package; in CI (`STORYCORE_REQUIRE_SERVICES=1`) a missing service is a failure.
 */
export function missingService(command: string, debianPackage: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.STORYCORE_REQUIRE_SERVICES === '1') {
      throw new Error(`${command} is required (STORYCORE_REQUIRE_SERVICES=1): apt-get install -y ${debianPackage}`);
    }
    console.warn(`skipping: ${command} not found — install it with: apt-get install -y ${debianPackage}`);
    return true;
  }
}
