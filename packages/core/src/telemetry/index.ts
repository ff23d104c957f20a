export { type TelemetryOptions, TRACER_NAME } from "./tracing.js";
