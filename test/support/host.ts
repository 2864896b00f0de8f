/**
 * The provider-host driver used by the lifecycle tests. It lives in tools/engine/host.ts because the demo
 * needs the same driver at run time from dist/; this re-export keeps the tests' import path.
 */
export * from "../../tools/engine/host";
