export { LocalComfyui, type LocalComfyuiOptions, type ProcessStatus, type StartResult, type StopResult } from './local-comfyui.js';
export { LAUNCH_PROFILES, LAUNCH_PROFILE_IDS, baseFlags, isLaunchProfileId, type LaunchEnv, type LaunchFlag, type LaunchProfile, type LaunchProfileId } from './profiles.js';
export { buildLaunchCommand, type LaunchCommand, type LaunchCommandInput } from './launch-command.js';
export { parseHelpFlags, supportedFlags, type SupportedFlagsOptions } from './supported-flags.js';
export { logFile, pidFile, readPidRecord, type PidRecord } from './pid-file.js';
export { isOurProcess } from './process-liveness.js';
export { ComfyuiNotConfiguredError } from './errors/comfyui-not-configured-error.js';
export { ComfyuiStartError } from './errors/comfyui-start-error.js';
export { UnknownProfileError } from './errors/unknown-profile-error.js';
