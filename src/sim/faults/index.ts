export { FaultBook, type FaultAction, type FaultRule } from './fault-rule.js';
