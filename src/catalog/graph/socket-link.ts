import type { Link } from '../../comfy/graph.js';

/**
 * A link that remembers the socket type of the output it points at, so the compiler rejects
 * wiring a CLIP output into a MODEL input. The brand is a phantom (never present at runtime):
 * a SocketLink is an ordinary `[nodeId, outputIndex]` on the wire.
 */
export type SocketLink<T extends string> = Link & { readonly __socket?: T };

/** A link whose socket type is unknown or `*` (ComfyUI's wildcard). Accepted by any input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySocketLink = Link & { readonly __socket?: any };

/** The link type an output of socket type `T` produces (`*` outputs fit any input). */
export type LinkOf<T> = T extends '*' ? AnySocketLink : T extends string ? SocketLink<T> : AnySocketLink;
