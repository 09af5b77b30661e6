/** Twilio as Careline's SMS provider: the `SmsProvider` layer, webhook parsing, and a local double for tests. */
export * as TwilioSms from "./TwilioSms.js"
export { defaultTimeoutMs, statusCallbackUrl, TwilioConfig, TwilioConfigInvalid } from "./TwilioSms.js"
export * as TwilioErrors from "./TwilioErrors.js"
export * as TwilioWebhooks from "./TwilioWebhooks.js"
export { emptyTwiml, parseInbound, parseStatus, type TwilioInbound, twilioStatuses, verifySignature, WebhookInvalid } from "./TwilioWebhooks.js"
export * as TwilioDouble from "./testing/TwilioDouble.js"
