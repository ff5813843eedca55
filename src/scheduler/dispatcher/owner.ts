/**
 * A lease owner names the GPU worker and the dispatcher: `gpu-a@dispatcher-1`. The queue keeps
 * the owner in each attempt's history, so the history says where every attempt ran (the
 * failure policy reads exclusions from it) and "#2 on gpu-a@…" reads right in messages.
 * A job leased only to be failed (it could not be routed) is owned by `@dispatcher-1`.
 */
export function ownerFor(worker: string | undefined, dispatcherId: string): string {
  return `${worker ?? ''}@${dispatcherId}`;
}

/** The worker part of an owner; undefined for owners of other shapes. */
export function workerOfOwner(owner: string): string | undefined {
  const at = owner.lastIndexOf('@');
  return at > 0 ? owner.slice(0, at) : undefined;
}

export function dispatcherOfOwner(owner: string): string | undefined {
  const at = owner.lastIndexOf('@');
  return at >= 0 ? owner.slice(at + 1) : undefined;
}
