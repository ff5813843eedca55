/**
 * `/object_info` node definitions as ComfyUI serves them. Two combo spellings exist: V1
 * nodes give the option list itself as the type (`[["a","b"], {...}]`), V3 nodes give
 * `["COMBO", {"options": [...], "multiselect": false}]`. Hidden inputs are `"PROMPT"` (V1)
 * or `["PROMPT"]` (V3).
 */
export type InputOptions = Record<string, unknown> & {
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  options?: unknown[];
  forceInput?: boolean;
  control_after_generate?: boolean | string;
  tooltip?: string;
};

/** `[type, options?]` where type is a socket/widget name or (V1 combo) the option list. */
export type InputSpec = [string | unknown[], InputOptions?] | [string | unknown[]];

export interface NodeDef {
  input: {
    required?: Record<string, InputSpec>;
    optional?: Record<string, InputSpec>;
    hidden?: Record<string, unknown>;
  };
  input_order?: { required?: string[]; optional?: string[]; hidden?: string[] };
  output: string[];
  output_is_list: boolean[];
  output_name: string[];
  output_tooltips?: (string | null)[];
  name: string;
  display_name: string | null;
  description: string;
  python_module: string;
  category: string;
  output_node: boolean;
  deprecated?: boolean;
  experimental?: boolean;
  api_node?: boolean;
}

export type ObjectInfo = Record<string, NodeDef>;
