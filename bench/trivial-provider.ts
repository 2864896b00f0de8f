/**
 * The yardstick for host start-up: a dynamic provider that does nothing and loads nothing, serialized the
 * way any inline provider is. Its start time is the Pulumi host's own; ours adds only what our package loads.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A do-nothing dynamic provider (check echoes its inputs). */
export const trivialProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async create(inputs) {
    return { id: "trivial", outs: inputs };
  },
};
