import type { NodeDef, ObjectInfo } from '../object-info/types.js';
import { pyRepr, pyStr } from '../python-repr.js';
import { boundRepr, coercedValueRepr } from './bound-repr.js';
import { CUSTOM_VALIDATORS, missingArgumentsError, type CustomValidator } from './custom-validators.js';
import type { ComfyProtocol } from '../comfyui-version.js';
import { declaredInputs, inputInfo, isV3Node, typesMatch } from './input-info.js';
import { currentTypesMatch, finalizedDef } from './protocol-rules.js';
import { formatTraceback, PyException, type PyFrame } from './python-exception.js';
import { pyBool, pyCompare, pyContains, pyFloat, pyGetItem, pyInt, pySequenceIndex, pyStrCoerce } from './python-values.js';
import { FRAMES } from './source-frames.js';
import { trampoline } from '../../platform/trampoline.js';
import type { NodeErrorReason } from './types.js';

/** `validated[id]` of ComfyUI: whether the node passed and its own reasons. */
export interface NodeResult {
  valid: boolean;
  errors: NodeErrorReason[];
}

/** State shared by one `validate_prompt` run. */
export interface ValidationRun {
  /** The prompt being validated; coerced values are written into it. */
  prompt: Record<string, unknown>;
  objectInfo: ObjectInfo;
  /** Insertion order matters: node_errors is built by walking it. */
  validated: Map<string, NodeResult>;
  /** Nodes whose validation is in progress (a static cycle re-enters one). */
  active: Set<string>;
  inputFileExists: ((annotatedName: string) => boolean) | undefined;
  /** Whose rules apply: 0.3.64's, or current ComfyUI's (MatchType links, V3 combos, Autogrow). */
  protocol: ComfyProtocol;
}

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function setOwn(target: Dict, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Python's `is_link`: `[str, int|float]`. */
function isPyLink(value: unknown): boolean {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/**
 * `validate_inputs(prompt_id, prompt, item, validated)`: validates one node and, through its
 * links, everything upstream; memoised in `run.validated`. Throws `PyException` where ComfyUI
 * raises (link to a missing node, bad output index, a crashing VALIDATE_INPUTS).
 *
 * ComfyUI recurses through links; here each node's check is a generator that yields the id of
 * the upstream node it needs, and `trampoline` keeps the chain on an explicit stack, so a
 * 3000-node chain validates in the same order, with the same results, without overflowing
 * the JavaScript stack.
 */
export function validateNode(run: ValidationRun, nodeId: string): NodeResult {
  return trampoline<string, NodeResult>(nodeId, (id) => {
    const memo = run.validated.get(id);
    if (memo) return { value: memo };
    // ComfyUI recurses until RecursionError; every node on the cycle ends up invalid without a
    // reason of its own, which is what returning "invalid, no errors" to the re-entrant call yields.
    if (run.active.has(id)) return { value: { valid: false, errors: [] } };
    return validateTracked(run, id);
  });
}

function* validateTracked(run: ValidationRun, nodeId: string): Generator<string, NodeResult, NodeResult> {
  run.active.add(nodeId);
  try {
    const result = yield* validateUncached(run, nodeId);
    run.validated.set(nodeId, result);
    return result;
  } finally {
    run.active.delete(nodeId);
  }
}

function* validateUncached(run: ValidationRun, nodeId: string): Generator<string, NodeResult, NodeResult> {
  const node = run.prompt[nodeId] as Dict;
  const inputs = pyGetItem(node, 'inputs', [FRAMES.readInputs]);
  const classType = node.class_type as string;
  const current = run.protocol === 'current';
  const def = current ? finalizedDef(run.objectInfo[classType]!) : run.objectInfo[classType]!;
  const linkable = current ? currentTypesMatch : typesMatch;
  const validator = CUSTOM_VALIDATORS[classType];
  const validatorArgs = validator?.args ?? [];
  const selfChecked = (name: string): boolean => validatorArgs.includes(name) || validator?.hasKwargs === true;

  const errors: NodeErrorReason[] = [];
  let valid = true;

  for (const x of declaredInputs(def)) {
    const info = inputInfo(def, x)!;
    const inputType = info.type;
    const inputConfig = [inputType, info.options];
    if (!pyContains(inputs, x, [FRAMES.inputMembership])) {
      if (info.category === 'required') {
        errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: x, extra_info: { input_name: x } });
      }
      continue;
    }
    let val = pyGetItem(inputs, x, [FRAMES.inputValue]);
    const target = inputs as Dict;

    if (Array.isArray(val)) {
      if (val.length !== 2) {
        errors.push({
          type: 'bad_linked_input',
          message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
          details: x,
          extra_info: { input_name: x, input_config: inputConfig, received_value: val },
        });
        continue;
      }
      const sourceId = val[0] as unknown;
      const source = pyGetItem(run.prompt, sourceId, [FRAMES.linkedNode]) as Dict;
      const sourceDef = run.objectInfo[source.class_type as string]!;
      const receivedType = pySequenceIndex(sourceDef.output, val[1], isV3Node(sourceDef) ? 'list' : 'tuple', [FRAMES.linkedOutput]);
      if (!validatorArgs.includes('input_types') && !linkable(receivedType, inputType)) {
        errors.push({
          type: 'return_type_mismatch',
          message: 'Return type mismatch between linked nodes',
          details: `${x}, received_type(${pyStr(receivedType)}) mismatch input_type(${pyStr(inputType)})`,
          extra_info: { input_name: x, input_config: inputConfig, received_type: receivedType, linked_node: val },
        });
        continue;
      }
      try {
        if (!(yield sourceId as string).valid) valid = false;
      } catch (err) {
        if (!(err instanceof PyException)) throw err;
        valid = false;
        run.validated.set(sourceId as string, {
          valid: false,
          errors: [
            {
              type: 'exception_during_inner_validation',
              message: 'Exception when validating inner node',
              details: err.pyMessage,
              extra_info: {
                input_name: x,
                input_config: inputConfig,
                exception_message: err.pyMessage,
                exception_type: err.pyType,
                traceback: formatTraceback([FRAMES.innerCall, ...err.frames]),
                linked_node: val,
              },
            },
          ],
        });
      }
      continue;
    }

    try {
      // {"__value__": [...]} is how the frontend sends list-valued widgets (a bare list is a link).
      if (isDict(val) && Object.hasOwn(val, '__value__')) {
        val = val.__value__;
        setOwn(target, x, val);
      }
      if (inputType === 'INT') setOwn(target, x, (val = pyInt(val)));
      if (inputType === 'FLOAT') setOwn(target, x, (val = pyFloat(val)));
      if (inputType === 'STRING') setOwn(target, x, (val = pyStrCoerce(val)));
      if (inputType === 'BOOLEAN') setOwn(target, x, (val = pyBool(val)));
    } catch (err) {
      if (!(err instanceof PyException)) throw err;
      errors.push({
        type: 'invalid_input_type',
        message: `Failed to convert an input value to a ${pyStr(inputType)} value`,
        details: `${x}, ${pyStr(val)}, ${err.pyMessage}`,
        extra_info: { input_name: x, input_config: inputConfig, received_value: val, exception_message: err.pyMessage },
      });
      continue;
    }

    if (selfChecked(x)) continue;
    const rangeError = checkRange(classType, x, val, info.options, inputType, inputConfig);
    if (rangeError) {
      errors.push(rangeError);
      continue;
    }

    if (current && (Array.isArray(inputType) || inputType === 'COMBO')) {
      const comboError = checkCurrentCombo(x, val, inputType, info.options, inputConfig);
      if (comboError) errors.push(comboError);
      continue;
    }
    if (Array.isArray(inputType) && !pyContains(inputType, val)) {
      // Long lists (every scanned model file) are not sent back.
      const long = inputType.length > 20;
      errors.push({
        type: 'value_not_in_list',
        message: 'Value not in list',
        details: `${x}: '${pyStr(val)}' not in ${long ? `(list of length ${inputType.length})` : pyRepr(inputType)}`,
        extra_info: { input_name: x, input_config: long ? null : inputConfig, received_value: val },
      });
    }
  }

  if (validator) errors.push(...runCustomValidation(run, def, validator, inputs));

  return errors.length > 0 || !valid ? { valid: false, errors } : { valid: true, errors: [] };
}

/**
 * Current ComfyUI's combo check: V1 option lists and V3 `COMBO` options alike (remote combos
 * skipped), each value of a multiselect list checked, offending values listed by `repr`.
 */
function checkCurrentCombo(x: string, val: unknown, inputType: unknown, options: Record<string, unknown>, inputConfig: unknown[]): NodeErrorReason | undefined {
  if (inputType === 'COMBO' && options.remote_combo) return undefined;
  const choices = Array.isArray(inputType) ? inputType : Array.isArray(options.options) ? (options.options as unknown[]) : [];
  const values = options.multiselect === true && Array.isArray(val) ? val : [val];
  const invalid = values.filter((v) => !pyContains(choices, v));
  if (invalid.length === 0) return undefined;
  const long = choices.length > 20;
  return {
    type: 'value_not_in_list',
    message: 'Value not in list',
    details: `${x}: ${invalid.map((v) => pyRepr(v)).join(', ')} not in ${long ? `(list of length ${choices.length})` : pyRepr(choices)}`,
    extra_info: { input_name: x, input_config: long ? null : inputConfig, received_value: val },
  };
}

/** `value_smaller_than_min` / `value_bigger_than_max`, min checked first. */
function checkRange(
  classType: string,
  x: string,
  val: unknown,
  options: Record<string, unknown>,
  inputType: unknown,
  inputConfig: unknown[],
): NodeErrorReason | undefined {
  for (const [key, op, type, word] of [
    ['min', '<', 'value_smaller_than_min', 'smaller than min'],
    ['max', '>', 'value_bigger_than_max', 'bigger than max'],
  ] as const) {
    if (!Object.hasOwn(options, key)) continue;
    const bound = options[key];
    if (!pyCompare(val, op, bound, [key === 'min' ? FRAMES.minCompare : FRAMES.maxCompare])) continue;
    return {
      type,
      message: `Value ${coercedValueRepr(val, inputType)} ${word} of ${boundRepr(classType, x, key, bound, inputType)}`,
      details: x,
      extra_info: { input_name: x, input_config: inputConfig, received_value: val },
    };
  }
  return undefined;
}

/** The VALIDATE_INPUTS call: linked inputs arrive as None, undeclared literals are dropped. */
function runCustomValidation(run: ValidationRun, def: NodeDef, validator: CustomValidator, inputs: unknown): NodeErrorReason[] {
  const data: [string, unknown[]][] = [];
  if (isDict(inputs)) {
    for (const [name, value] of Object.entries(inputs)) {
      const info = inputInfo(def, name);
      if (isPyLink(value) && !info?.options.rawLink) data.push([name, [null]]);
      else if (info) data.push([name, [value]]);
    }
  }
  const filtered = data.filter(([name]) => validator.hasKwargs === true || validator.args.includes(name));
  const fileExists = run.inputFileExists ?? ((name: string) => listedInCombo(def, validator, name));

  const call = (args: Record<string, unknown>, mapFrame: PyFrame): unknown => {
    const lead = [FRAMES.customCall, mapFrame, FRAMES.processInputs];
    const missing = validator.args.filter((a) => !Object.hasOwn(args, a));
    if (missing.length > 0 && validator.hasKwargs !== true) {
      const err = missingArgumentsError(validator.qualname, missing);
      throw new PyException(err.pyType, err.pyMessage, lead);
    }
    try {
      return validator.run(args, fileExists);
    } catch (err) {
      if (!(err instanceof PyException)) throw err;
      throw new PyException(err.pyType, err.pyMessage, [...lead, ...err.frames]);
    }
  };

  const results: unknown[] = [];
  if (validator.inputIsList) {
    results.push(call(Object.fromEntries(filtered), FRAMES.mapListCall));
  } else if (filtered.length === 0) {
    results.push(call({}, FRAMES.mapEmptyCall));
  } else {
    const length = Math.max(...filtered.map(([, values]) => values.length));
    for (let i = 0; i < length; i++) {
      const slice = Object.fromEntries(filtered.map(([name, values]) => [name, values[Math.min(i, values.length - 1)]]));
      results.push(call(slice, FRAMES.mapSliceCall));
    }
  }

  const errors: NodeErrorReason[] = [];
  for (const [name] of filtered) {
    for (const result of results) {
      if (result === true) continue;
      errors.push({
        type: 'custom_validation_failed',
        message: 'Custom validation failed for node',
        details: result === false ? name : `${name} - ${pyStr(result)}`,
        extra_info: { input_name: name },
      });
    }
  }
  return errors;
}

/** Without a file oracle, a file counts as present when the node's V1 combo lists it. */
function listedInCombo(def: NodeDef, validator: CustomValidator, name: string): boolean {
  const first = validator.args[0];
  const type = first === undefined ? undefined : inputInfo(def, first)?.type;
  return Array.isArray(type) ? pyContains(type, name) : true;
}
