export { LearnedTimings, type ExpectedDuration, type LearnedTimingsOptions, type TimingKey, type TimingSource } from './learned-timings.js';
export { sizeBucket } from './size-bucket.js';
export { TimingsFileError } from './errors/timings-file-error.js';
