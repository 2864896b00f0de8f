/**
 * pulumi-truto-access: role membership in SaaS apps as code, through Truto's Unified User Directory API.
 */
export {
  RoleAssignment,
  type RoleAssignmentArgs,
  type RoleAssignmentCommonArgs,
  type SlackEnterpriseArgs,
  type ElasticCloudArgs,
  type AccountWideArgs,
  type AccountWideIntegration,
  type LateIntegrationArgs,
  type RoleArgs,
  type OrganizationArgs,
  type RoleAssignmentUser,
} from "./resource";
export type { RoleAssignmentInputs } from "./provider/inputs";
export type { RoleAssignmentOutputs } from "./provider/lifecycle";
export type { ExpiredRole } from "./provider/expiry";
export { TrutoError, TrutoErrorCodes, isTrutoError, type TrutoErrorCode } from "./truto/errors";
export { TrutoClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, type TrutoClientOptions } from "./truto/client";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./truto/retry";
export { DEFAULT_RATE_LIMIT, type RateLimitSettings } from "./truto/governor";
export { RULES, INTEGRATIONS, type IntegrationSlug, type IntegrationRule } from "./integrations/rules";
export type { Role, Organization } from "./integrations/grants";
export * as userDirectory from "./truto/user-directory";
export { validate, type ValidationResult, type CheckFailure } from "./validate";
