export * from './primitives.js';
export * from './prompt-errors.js';
export * from './history.js';
export * from './routes.js';
export * from './messages.js';
export * from './binary-frame.js';
export * from './output-files.js';
