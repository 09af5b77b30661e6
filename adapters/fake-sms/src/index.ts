export * as FakeSms from "./FakeSms.js"
export { FakeSmsControl, type SendOutcome, type SentSms, type StatusCallbackOptions } from "./FakeSms.js"
