/**
 * Launch profiles: the ComfyUI flags and environment that suit one kind of machine, each with
 * the reason it is there. Flags a ComfyUI version does not accept are dropped at launch
 * (see supported-flags.ts), so a profile may name flags of older and newer versions.
 */

export interface LaunchFlag {
  flag: string;
  values?: string[];
  reason: string;
}

export interface LaunchEnv {
  name: string;
  value: string;
  reason: string;
}

export interface LaunchProfile {
  id: LaunchProfileId;
  description: string;
  /** False for --cpu: no `--cuda-device` is passed. */
  usesGpu: boolean;
  flags: LaunchFlag[];
  env: LaunchEnv[];
}

export const LAUNCH_PROFILE_IDS = ['default', 'cpu', 'rtx3090', 'rtx4090', 'rtx5090', 'l40s', 'a100-80g', 'h100'] as const;
export type LaunchProfileId = (typeof LAUNCH_PROFILE_IDS)[number];

const SDPA: LaunchFlag = {
  flag: '--use-pytorch-cross-attention',
  reason: 'PyTorch SDPA (FlashAttention kernels) is fast on this card and needs no extra package',
};
const SAGE: LaunchFlag = {
  flag: '--use-sage-attention',
  reason: 'SageAttention is the fastest attention on Ada/Hopper/Blackwell for video models; needs `pip install sageattention` in ComfyUI\'s Python',
};
const RESERVE_DESKTOP: LaunchFlag = {
  flag: '--reserve-vram',
  values: ['1'],
  reason: 'keeps 1 GB for the display and other apps on a desktop card, avoiding OOM at the edge',
};
const NATIVE_ALLOCATOR: LaunchFlag = {
  flag: '--disable-cuda-malloc',
  reason: 'uses PyTorch\'s native allocator so PYTORCH_CUDA_ALLOC_CONF below takes effect (cudaMallocAsync ignores it)',
};
const EXPANDABLE: LaunchEnv = {
  name: 'PYTORCH_CUDA_ALLOC_CONF',
  value: 'expandable_segments:True',
  reason: 'a long-running server swaps many models: expandable segments cut fragmentation-induced OOMs',
};
const FAST_ADA: LaunchFlag = {
  flag: '--fast',
  values: ['fp16_accumulation', 'fp8_matrix_mult'],
  reason: 'fp8 tensor cores (Ada and newer) and fp16 accumulation speed up sampling; needs PyTorch >= 2.7',
};

export const LAUNCH_PROFILES: Readonly<Record<LaunchProfileId, LaunchProfile>> = {
  default: {
    id: 'default',
    description: 'ComfyUI\'s own choices: only the flags StoryCore needs to reach the process',
    usesGpu: true,
    flags: [],
    env: [],
  },
  cpu: {
    id: 'cpu',
    description: 'no GPU: everything on the CPU (slow; for checking graphs and CI)',
    usesGpu: false,
    flags: [{ flag: '--cpu', reason: 'run on the CPU; ComfyUI otherwise fails at startup without CUDA' }],
    env: [],
  },
  rtx3090: {
    id: 'rtx3090',
    description: '24 GB Ampere desktop card',
    usesGpu: true,
    flags: [
      { flag: '--normalvram', reason: '24 GB holds SDXL; bigger models (Flux, Wan 14B) are partly offloaded instead of ComfyUI guessing low-VRAM mode' },
      SDPA,
      RESERVE_DESKTOP,
    ],
    env: [],
  },
  rtx4090: {
    id: 'rtx4090',
    description: '24 GB Ada desktop card',
    usesGpu: true,
    flags: [
      { flag: '--normalvram', reason: '24 GB holds SDXL; bigger models (Flux, Wan 14B) are partly offloaded instead of ComfyUI guessing low-VRAM mode' },
      SAGE,
      FAST_ADA,
      RESERVE_DESKTOP,
    ],
    env: [],
  },
  rtx5090: {
    id: 'rtx5090',
    description: '32 GB Blackwell desktop card',
    usesGpu: true,
    flags: [
      { flag: '--highvram', reason: '32 GB keeps the diffusion model on the GPU between jobs instead of unloading it to RAM' },
      SAGE,
      FAST_ADA,
      RESERVE_DESKTOP,
    ],
    env: [],
  },
  l40s: {
    id: 'l40s',
    description: '48 GB Ada data-centre card (headless)',
    usesGpu: true,
    flags: [
      { flag: '--highvram', reason: '48 GB keeps models on the GPU between jobs: no reload per shot' },
      SAGE,
      FAST_ADA,
      NATIVE_ALLOCATOR,
    ],
    env: [EXPANDABLE],
  },
  'a100-80g': {
    id: 'a100-80g',
    description: '80 GB Ampere data-centre card (no fp8 tensor cores)',
    usesGpu: true,
    flags: [
      { flag: '--gpu-only', reason: '80 GB holds text encoders and VAE on the GPU too: no host round-trips' },
      SDPA,
      NATIVE_ALLOCATOR,
    ],
    env: [EXPANDABLE],
  },
  h100: {
    id: 'h100',
    description: '80 GB Hopper data-centre card',
    usesGpu: true,
    flags: [
      { flag: '--gpu-only', reason: '80 GB holds text encoders and VAE on the GPU too: no host round-trips' },
      SAGE,
      FAST_ADA,
      NATIVE_ALLOCATOR,
    ],
    env: [EXPANDABLE],
  },
};

export function isLaunchProfileId(value: string): value is LaunchProfileId {
  return (LAUNCH_PROFILE_IDS as readonly string[]).includes(value);
}

/** The flags StoryCore always passes, with their reasons (for `comfyui profiles`). */
export function baseFlags(options: { port: number; gpu?: number }): LaunchFlag[] {
  return [
    { flag: '--listen', values: ['127.0.0.1'], reason: 'loopback only: a local worker is reached through StoryCore, not the network' },
    { flag: '--port', values: [String(options.port)], reason: 'one port per GPU: base port + GPU index' },
    { flag: '--disable-auto-launch', reason: 'a server process must not open a browser' },
    ...(options.gpu !== undefined
      ? [{ flag: '--cuda-device', values: [String(options.gpu)], reason: 'one process per GPU: ComfyUI sees only this device' }]
      : []),
  ];
}
