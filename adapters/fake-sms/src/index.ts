export * as FakeSms from "./FakeSms.js"
export { type CarriedSms, FakeSmsControl, type SendOutcome, type SentSms, type StatusCallbackOptions } from "./FakeSms.js"
