import { GB, MB } from '../models/model.js';

/** "14.3 GB", "254 MB": decimal units, as Hugging Face and the catalogue show sizes. */
export function formatBytes(bytes: number): string {
  if (bytes <= 0) return '0 B';
  if (bytes >= GB) return `${Number((bytes / GB).toFixed(1))} GB`;
  if (bytes >= MB) return `${Math.round(bytes / MB)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} kB`;
}
