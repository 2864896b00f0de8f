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

/**
 * A do-nothing provider whose outputs have the shape and size of ours: each create answers `template` (one of
 * our provider's outputs, `__provider` left out) overlaid with the resource's inputs. Against it, the host's
 * memory and CPU measure what our provider adds, not what carrying larger outputs costs any provider.
 */
export function sizedTrivialProvider(template: Record<string, unknown>): pulumi.dynamic.ResourceProvider {
  return {
    async check(_olds, news) {
      return { inputs: news };
    },
    async create(inputs) {
      return { id: "trivial", outs: { ...template, ...inputs } };
    },
  };
}
