import type { RenderSettings, Story } from '../format/schema.js';
import type { Aspect, QualityId, StyleId } from '../format/vocabulary.js';

/** Project settings a planner cannot read from prose; each overrides the planner's default. */
export interface PlanOptions {
  title?: string;
  style?: StyleId;
  aspect?: Aspect;
  quality?: QualityId;
  fps?: number;
  commercial?: boolean;
  /** Project base seed; default: a hash of the text, so the same story plans the same. */
  seed?: number;
  render?: RenderSettings;
}

/**
 * Turns a plain-text or Markdown story into a validated `Story` (every shot with a prompt).
 * `rules` needs nothing; `llm` calls an OpenAI-compatible chat endpoint.
 */
export interface Planner {
  readonly kind: 'rules' | 'llm';
  plan(text: string, options?: PlanOptions): Promise<Story>;
}
