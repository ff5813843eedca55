export { withLoras, LORA_FAMILIES, type LoraSpec } from './with-loras.js';
export { withControlNet, CONTROLNET_FAMILIES, CONTROLNET_FILES, type ControlNetSpec, type ControlType } from './with-controlnet.js';
export { withIpAdapter, IP_ADAPTER_FAMILIES, type IpAdapterSpec, type IpAdapterPreset } from './with-ip-adapter.js';
export { familyOf } from './family.js';
export { IncompatibleTransformError } from './errors/incompatible-transform-error.js';
