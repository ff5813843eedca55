import type { z } from 'zod';

/** The first zod issue as `{field, problem}`, `field` being a dotted path under `root`. */
export function firstIssue(error: z.ZodError, root: string): { field: string; problem: string } {
  const issue = error.issues[0];
  if (!issue) return { field: root, problem: 'invalid value' };
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return { field: `${root}${path}`, problem: issue.message };
}
