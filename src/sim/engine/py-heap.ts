/**
 * Python's `heapq` (push, pop, heapify) with the same sift algorithm, so the raw array that
 * `GET /queue` exposes as `queue_pending` is ordered exactly as ComfyUI's would be.
 */
export type Compare<T> = (a: T, b: T) => number;

function siftDown<T>(heap: T[], startPos: number, pos: number, lt: (a: T, b: T) => boolean): void {
  const newItem = heap[pos] as T;
  while (pos > startPos) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos] as T;
    if (lt(newItem, parent)) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = newItem;
}

function siftUp<T>(heap: T[], pos: number, lt: (a: T, b: T) => boolean): void {
  const endPos = heap.length;
  const startPos = pos;
  const newItem = heap[pos] as T;
  let childPos = 2 * pos + 1;
  while (childPos < endPos) {
    const rightPos = childPos + 1;
    if (rightPos < endPos && !lt(heap[childPos] as T, heap[rightPos] as T)) childPos = rightPos;
    heap[pos] = heap[childPos] as T;
    pos = childPos;
    childPos = 2 * pos + 1;
  }
  heap[pos] = newItem;
  siftDown(heap, startPos, pos, lt);
}

export function heapPush<T>(heap: T[], item: T, compare: Compare<T>): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1, (a, b) => compare(a, b) < 0);
}

export function heapPop<T>(heap: T[], compare: Compare<T>): T | undefined {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return last;
  const top = heap[0] as T;
  heap[0] = last;
  siftUp(heap, 0, (a, b) => compare(a, b) < 0);
  return top;
}

export function heapify<T>(heap: T[], compare: Compare<T>): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftUp(heap, i, (a, b) => compare(a, b) < 0);
}
