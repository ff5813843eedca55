import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A launched ComfyUI exited or did not answer /system_stats in time; carries its last log lines. */
export class ComfyuiStartError extends StoryCoreError {
  readonly gpu: number;
  readonly logFile: string;
  readonly lastLines: string[];

  constructor(gpu: number, reason: string, logFile: string, lastLines: string[]) {
    const tail = lastLines.length > 0 ? `; last log lines:\n${lastLines.map((l) => `  ${l}`).join('\n')}` : '';
    super('COMFYUI_START_FAILED', `ComfyUI on GPU ${gpu} ${reason}${tail}`, {
      hint: `read the whole log with storycore comfyui logs --gpu ${gpu} (${logFile})`,
    });
    this.gpu = gpu;
    this.logFile = logFile;
    this.lastLines = lastLines;
  }
}
