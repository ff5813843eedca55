/** What one step of a nested computation gives: its result now, or a generator that asks for more. */
export type Nested<A, R> = { value: R } | Generator<A, R, R>;

/**
 * Runs a recursive computation on an explicit stack, so its depth is bounded by memory, not
 * by the JavaScript call stack (a 3000-node chain of links overflows the latter). `call(arg)`
 * returns `{value}` when the answer is known (memo, base case), or a generator that `yield`s
 * the argument of each nested call, receives its result, and returns its own. Exceptions
 * propagate through the generators exactly as through ordinary calls (try/catch/finally work).
 *
 * @example
 * const depth = (n: Node): Nested<Node, number> => n.parent ? (function* () { return 1 + (yield n.parent!); })() : { value: 0 };
 * trampoline(leaf, depth);
 */
export function trampoline<A, R>(root: A, call: (arg: A) => Nested<A, R>): R {
  const first = call(root);
  if (!isGenerator(first)) return first.value;
  const stack: Array<Generator<A, R, R>> = [first];
  let resume: { ok: true; value: R | undefined } | { ok: false; error: unknown } = { ok: true, value: undefined };
  for (;;) {
    const top = stack[stack.length - 1]!;
    let step: IteratorResult<A, R>;
    try {
      step = resume.ok ? top.next(resume.value as R) : top.throw(resume.error);
    } catch (error) {
      stack.pop();
      if (stack.length === 0) throw error;
      resume = { ok: false, error };
      continue;
    }
    if (step.done) {
      stack.pop();
      if (stack.length === 0) return step.value;
      resume = { ok: true, value: step.value };
      continue;
    }
    const next = call(step.value);
    if (isGenerator(next)) {
      stack.push(next);
      resume = { ok: true, value: undefined };
    } else resume = { ok: true, value: next.value };
  }
}

function isGenerator<A, R>(value: Nested<A, R>): value is Generator<A, R, R> {
  return typeof (value as Generator<A, R, R>).next === 'function';
}
