/** ChartSink adapters: FHIR R4 Communication files for an EHR's import, and an EHR webhook. */
export * as FhirChartSink from "./FhirChartSink.js"
export { ChartDirectoryUnusable } from "./FhirChartSink.js"
export * as WebhookChartSink from "./WebhookChartSink.js"
export { type FhirCommunication, identifierSystem, toCommunication } from "./FhirCommunication.js"
