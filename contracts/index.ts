export * from './graph.js';
export * from './diagnostics.js';
export * from './report.js';
export * from './training.js';
export * from './api.js';
export * from './version.js';
