/**
 * The provider-host driver the lifecycle and reliability tests use. It is tools/engine/host.ts, the engine
 * model's own driver; this re-export keeps the tests' import path.
 */
export * from "../../tools/engine/host";
