/**
 * Wire-level values the Pulumi engine puts into provider requests: the unknown-value sentinels,
 * the secret signature, and the serialized `__provider` text.
 *
 * The sentinels are copied here (not imported from the SDK's internal `runtime/rpc`) so a test
 * reads like the engine's wire format; host-harness.test.ts checks them against the SDK.
 */
import * as pulumi from "@pulumi/pulumi";

/** The unknown sentinel for a string; Node programs send this one for an unknown of any type. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The unknown sentinel the engine uses for a boolean (pkg/resource/plugin/rpc.go). */
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";

/** The unknown sentinel the engine uses for a number. */
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";

/** The unknown sentinel the engine uses for an array. */
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

/** The unknown sentinel the engine uses for an asset. */
export const UNKNOWN_ASSET = "030794c1-ac77-496b-92df-f27374a8bd58";

/** The unknown sentinel the engine uses for an archive. */
export const UNKNOWN_ARCHIVE = "e48ece36-62e2-4504-bad9-02848725956a";

/** The unknown sentinel the engine uses for an object. */
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

/** All seven unknown sentinels, for "any of them" checks. */
export const UNKNOWNS: readonly string[] = [
  UNKNOWN,
  UNKNOWN_BOOL,
  UNKNOWN_NUMBER,
  UNKNOWN_ARRAY,
  UNKNOWN_ASSET,
  UNKNOWN_ARCHIVE,
  UNKNOWN_OBJECT,
];

/** The key under which a wire object names its special type (sig.go `Key`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** The signature value that marks a wire object as a secret (sig.go `Secret`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A secret as the engine marshals it on the wire: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export function wireSecret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * Serializes a dynamic provider exactly as `pulumi.dynamic.Resource` does for its `__provider`
 * input, so the host under test loads the same text a real program would send.
 */
export async function serializeProvider(provider: object): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}
