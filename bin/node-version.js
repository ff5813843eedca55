// The Node.js versions StoryCore runs on, checked before anything else is loaded. A dependency
// (cookie 2, through fastify's light-my-request) is an ES module loaded with require(), which
// Node supports from 20.19 and 22.12; the dev tools (vite, eslint) ask for the same.
export const SUPPORTED_NODE = '^20.19.0 || >=22.12.0';

/** Undefined when `version` (e.g. "20.20.2") is supported, else the one line to print. */
export function unsupportedNode(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;
  return ok ? undefined : `storycore needs Node.js 20.19 or later on 20.x, or 22.12 or later (this is Node ${version}): install a supported Node.js from https://nodejs.org`;
}
