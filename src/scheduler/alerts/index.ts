export { AlertMonitor, type AlertEvent, type AlertMonitorOptions } from './alert-monitor.js';
export { alertRulesSchema, evaluateRules, type AlertRules, type AlertCondition, type AlertName, type AlertSnapshot } from './alert-rules.js';
export { WebhookSender, signBody, newWebhookSecret, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookOptions, type DeliveryOutcome } from './webhook.js';
