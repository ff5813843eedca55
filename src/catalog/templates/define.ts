import { z } from 'zod';
import type { ApiGraph } from '../../comfy/graph.js';
import { TemplateParamsError } from './errors/template-params-error.js';
import { UnknownTemplateParamError } from './errors/unknown-template-param-error.js';
import { UnknownVariantError } from './errors/unknown-variant-error.js';
import { expandEstimates, precisionChoices, type CostModel } from './estimates.js';
import { requirementsOf } from './requirements.js';
import type { Template, TemplateOutput, TemplateVariant } from './template.js';

type Params = Record<string, unknown>;

/** The descriptive fields are the template's own; the behaviour is given as pure functions of parsed params. */
export interface TemplateSpec<S extends z.ZodType<Params>>
  extends Pick<Template<S>, 'id' | 'version' | 'title' | 'description' | 'family' | 'capabilities' | 'params' | 'scores'> {
  variants?: readonly TemplateVariant[];
  graph(p: z.output<S>): ApiGraph;
  output(p: z.output<S>): TemplateOutput;
  cost(p: z.output<S>): CostModel;
}

/** Turns a spec (schema + pure functions of parsed params) into a {@link Template}. */
export function defineTemplate<S extends z.ZodType<Params>>(spec: TemplateSpec<S>): Template<S> {
  const variants = spec.variants ?? [];
  let names: readonly string[] | undefined;
  const parse = (input: unknown = {}): z.output<S> => {
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      names ??= paramNames(spec.params);
      const unknown = Object.keys(input).filter((key) => !names!.includes(key));
      if (unknown.length > 0) throw new UnknownTemplateParamError(spec.id, unknown, names);
    }
    const result = spec.params.safeParse(input ?? {});
    if (!result.success) throw new TemplateParamsError(spec.id, result.error);
    return result.data;
  };
  return {
    id: spec.id,
    version: spec.version,
    title: spec.title,
    description: spec.description,
    family: spec.family,
    capabilities: spec.capabilities,
    params: spec.params,
    scores: spec.scores,
    variants,
    parse,
    build: (input) => spec.graph(parse(input)),
    output: (input) => spec.output(parse(input)),
    requirements: (input) => requirementsOf(spec.graph(parse(input))),
    estimate: (input) => {
      const p = parse(input);
      const others = precisionChoices(spec.params).filter((v) => v !== (p as Params).precision);
      return expandEstimates(spec.cost(p), spec.graph(p), {
        alternatives: () => others.flatMap((precision) => {
          try {
            return [spec.graph(parse({ ...((input ?? {}) as Params), precision }))];
          } catch {
            return []; // a precision these other parameters rule out
          }
        }),
        defaultGraph: () => spec.graph(parse({})),
      });
    },
    variant: (id, input) => {
      const found = variants.find((v) => v.id === id);
      if (!found) throw new UnknownVariantError(spec.id, id, variants.map((v) => v.id));
      return parse({ ...((input ?? {}) as Params), ...found.params });
    },
  };
}

/** The top-level parameter names of a template's schema (what `templates show` lists). */
function paramNames(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
  return Object.keys(json.properties ?? {});
}
