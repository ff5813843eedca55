import { MIT } from './licences.js';
import { MB, type CatalogModel } from './model.js';

// RIFE checkpoints for ComfyUI-Frame-Interpolation: downloaded by the pack on first use from its
// GitHub release; an offline worker needs them pre-placed. Sizes estimated (RIFE 4.x IFNet ≈ 10–25 MB).
const RELEASE = 'https://github.com/styler00dollar/VSGAN-tensorrt-docker/releases/download/models';
const RIFE_DIR = 'custom_nodes/ComfyUI-Frame-Interpolation/ckpts/rife' as const;
const LIC = { ...MIT, url: 'https://github.com/hzwer/Practical-RIFE', notes: 'Practical-RIFE weights are MIT per the upstream repository.' };

function rife(version: string, file: string, sizeMb: number, description: string): CatalogModel {
  return {
    id: `rife-${version}`, family: 'interpolation', role: 'interpolation', name: `RIFE ${version}`, description, licence: LIC,
    variants: [{ precision: 'fp32', file, folder: RIFE_DIR, sizeBytes: Math.round(sizeMb * MB), sizeEstimated: true, vramBytes: Math.round(1500 * MB), url: `${RELEASE}/${file}`, notes: 'RIFE VFI ckpt_name; the pack fetches it itself when online' }],
  };
}

export const interpolationModels: CatalogModel[] = [
  rife('4.7', 'rife47.pth', 21, 'RIFE 4.7.'),
  rife('4.9', 'rife49.pth', 21, 'RIFE 4.9, the RIFE VFI default.'),
  rife('4.17', 'rife417.pth', 24, 'RIFE 4.17.'),
  rife('4.26', 'rife426.pth', 25, 'RIFE 4.26 (ensemble forced off).'),
];
