/** Careline's reference server: the HTTP app, its runtime and configuration, and the `careline` command line. */
export { makeApp } from "./App.js"
export { type Config, ConfigInvalid, loadConfig, ServerConfig, type SmsConfig } from "./Config.js"
export { demoAdminEmail, demoPassword, type DemoSeeded, seedDemoOrganisation } from "./DemoOrganisation.js"
export { runCommandLine } from "./commands/CommandLine.js"
export { dispatcherLoop, makeRuntime, type RunningDispatcher, serverLayer, type ServerRuntime, type ServerServices, startDispatcher } from "./Runtime.js"
