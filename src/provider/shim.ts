/**
 * The object Pulumi serializes into every RoleAssignment's `__provider`. Each method loads the compiled
 * implementation by package name when called, so the text is tiny, identical for every resource, holds
 * no secret, and fixes to the implementation reach `destroy` and `refresh` of resources made earlier.
 * Keep these one-liners: no module-scope values, no arrow fields, no `this` (see pulumi-dynamic-notes).
 */
import type * as pulumi from "@pulumi/pulumi";

/** The serialized provider shim. */
export const roleAssignmentProvider: pulumi.dynamic.ResourceProvider = {
  configure(req) {
    return require("pulumi-truto-access/provider").configure(req);
  },
  check(olds, news) {
    return require("pulumi-truto-access/provider").check(olds, news);
  },
  diff(id, olds, news) {
    return require("pulumi-truto-access/provider").diff(id, olds, news);
  },
  create(inputs) {
    return require("pulumi-truto-access/provider").create(inputs);
  },
  read(id, props) {
    return require("pulumi-truto-access/provider").read(id, props);
  },
  update(id, olds, news) {
    return require("pulumi-truto-access/provider").update(id, olds, news);
  },
  delete(id, props) {
    return require("pulumi-truto-access/provider").delete(id, props);
  },
};
