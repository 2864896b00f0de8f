/**
 * How big a write may grow: the bounds `check` and the request splitting share.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_BASE_URL } from "../../src/truto/base-url";
import {
  MAX_ROLES_PER_RESOURCE,
  MAX_SINGLE_ROLE_QUERY_BYTES,
  MAX_URL_BYTES,
  MAX_URL_PREFIX_BYTES,
  encodeQuery,
  singleRoleQueryBytes,
} from "../../src/truto/request-size";

describe("request size", () => {
  it("keeps 4,096 bytes per URL and 50 roles per resource", () => {
    assert.equal(MAX_URL_BYTES, 4_096);
    assert.equal(MAX_ROLES_PER_RESOURCE, 50);
    assert.equal(MAX_SINGLE_ROLE_QUERY_BYTES, MAX_URL_BYTES - MAX_URL_PREFIX_BYTES);
  });

  it("reserves enough for the default base URL, the longest path and a uuid account id", () => {
    const prefix = `${DEFAULT_BASE_URL}/unified/user-directory/users/unassign-role?${encodeQuery({ integrated_account_id: "62f44730-dd91-461e-bd6a-aedd9e0ad79d" })}&`;
    assert.ok(Buffer.byteLength(prefix) <= MAX_URL_PREFIX_BYTES / 2, `${Buffer.byteLength(prefix)} bytes`);
  });

  it("counts a role's query bytes as sent: percent-encoded, scope fields included", () => {
    const scope = { userId: "U1" };
    assert.equal(singleRoleQueryBytes(scope, { id: "Rl0A" }), encodeQuery({ id: "U1", roles: [{ id: "Rl0A" }] }).length);
    assert.equal(
      singleRoleQueryBytes(scope, { id: "角" }) - singleRoleQueryBytes(scope, { id: "a" }),
      8,
      "one 3-byte character is 9 bytes encoded",
    );
    assert.ok(singleRoleQueryBytes(scope, { id: "r", workspace: "T1" }) > singleRoleQueryBytes(scope, { id: "r" }));
    assert.ok(
      singleRoleQueryBytes({ ...scope, organizations: [{ id: "o1", name: "Org" }] }, { id: "r" }) >
        singleRoleQueryBytes(scope, { id: "r" }),
    );
  });

  it("never counts a role's name, which is a label and never sent", () => {
    assert.equal(
      singleRoleQueryBytes({ userId: "U1" }, { id: "r", name: "x".repeat(1_000) }),
      singleRoleQueryBytes({ userId: "U1" }, { id: "r" }),
    );
  });
});
