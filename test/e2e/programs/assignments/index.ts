/**
 * The end-to-end scenarios' program: RoleAssignments by logical name from the stack config `assignments`
 * (JSON), so a scenario changes access with `pulumi config set`. `lateUserIds` names assignments whose
 * userId arrives as the output of another resource (a tiny dynamic resource echoing its input), which is
 * unknown at preview the first time it is created. (The echo is a separate output, `echoed`: an output that
 * merely repeats an input is known at preview, since the engine previews a create's outputs as its inputs.)
 */
import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment, type RoleAssignmentArgs } from "pulumi-truto-access";

const config = new pulumi.Config();
const assignments = config.requireObject<Record<string, RoleAssignmentArgs>>("assignments");
const lateUserIds = config.getObject<string[]>("lateUserIds") ?? [];

const echo: pulumi.dynamic.ResourceProvider = {
  async create(inputs: { value: string }) {
    return { id: `echo-${inputs.value}`, outs: { value: inputs.value, echoed: inputs.value } };
  },
};

/** A resource whose output `echoed` is its input `value`, known only once it is created. */
class Echo extends pulumi.dynamic.Resource {
  declare readonly echoed: pulumi.Output<string>;
  constructor(name: string, value: pulumi.Input<string>) {
    super(echo, name, { value, echoed: undefined }, {}, "e2e", "Echo");
  }
}

export const assignmentIds: Record<string, pulumi.Output<string>> = {};
for (const [name, args] of Object.entries(assignments)) {
  const userId = lateUserIds.includes(name) ? new Echo(`${name}-user`, args.userId).echoed : args.userId;
  assignmentIds[name] = new RoleAssignment(name, { ...args, userId }).assignmentId;
}
