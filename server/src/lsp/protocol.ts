// Custom messages between the client and the server (`ufoIam/*`), typed once. The client imports
// this file too, so both sides agree on names and shapes.
import type { AccessDenied, UfoVersion } from '../core';
import type { ApplyTarget } from '../settings';
export type { ApplyTarget };
import type { Range, WorkspaceEdit } from 'vscode-languageserver-protocol';

export namespace PreviewRequest {
  export const method = 'ufoIam/preview' as const;
  export interface Params {
    /** Any document of the project (a role file). */
    readonly uri: string;
  }
  export interface Result {
    /** The preview document's text (JSONC: comment header, then exactly `ufo-iam compile`'s JSON). */
    readonly text: string;
    /** The project root, when the document is in a UFO project. */
    readonly root?: string;
    readonly partial: boolean;
    readonly errors: number;
  }
}

/** Sent by the server when a project's compiled roles may have changed (any role file edited). */
export namespace ProjectChangedNotification {
  export const method = 'ufoIam/projectChanged' as const;
  export interface Params {
    readonly root: string;
  }
}

// ── Plan, apply and task-definition ARNs (issue 6). The server does the AWS work (server/src/aws,
// loaded lazily); the client shows the plan, asks for confirmation and applies the WorkspaceEdit.

/** Change counts of a plan, as `describeCounts` words them and Terraform sums them. */
export interface PlanCountsSummary {
  readonly total: number;
  readonly add: number;
  readonly change: number;
  readonly remove: number;
  /** Per step kind: createRole, tagRole, updateTrustPolicy, putPolicy, attachPolicy, detachPolicy, deletePolicy. */
  readonly byKind: Readonly<Record<string, number>>;
  /** E.g. "1 role to create, 2 inline policies to put"; empty when there are no changes. */
  readonly words: string;
  readonly hasChanges: boolean;
  /** No errors and no blockers: apply would run these steps. */
  readonly canApply: boolean;
  /** What would stop this plan (unmanaged roles, invalid role names, …), already explained. */
  readonly problems: readonly string[];
}

/** Asks the server to plan the project's roles against IAM. Nothing is changed. */
export namespace PlanRolesRequest {
  export const method = 'ufoIam/planRoles' as const;
  export interface Params {
    /** A file or folder of the project (a role file, the workspace folder). */
    readonly uri: string;
    /** The target the user chose when the server answered NEEDS_TARGET; otherwise `ufoIam.apply.target` or the files decide. */
    readonly target?: ApplyTarget;
  }
  /** Which roles the plan changes: UFO's stack's own, or pre-created ones (docs/apply.md). */
  export interface Model {
    readonly target: ApplyTarget;
    /** One line for headers and the confirmation, e.g. "Target: the roles of UFO's CloudFormation stack demo-web-dev (…)". */
    readonly description: string;
    readonly stackName?: string;
    readonly folder?: string;
    /** What to know before applying (CloudFormation drift until the next `ufo ship`; where the ARNs go). */
    readonly notes: readonly string[];
  }
  export interface Role {
    readonly logicalId: string;
    /** Who owns it: a resource of UFO's stack, or a role ufo-iam created. */
    readonly owner: 'cloudformation' | 'ufo-iam';
    readonly roleName: string;
    /** create, update, unchanged; `blocked` = exists without our tag; `invalid` = the desired role has errors. */
    readonly status: 'create' | 'update' | 'unchanged' | 'blocked' | 'invalid';
    /** The role file, as a `file:` URI. */
    readonly fileUri?: string;
    readonly arn?: string;
    readonly exists: boolean;
    /** Whether the live role carries the `managed-by=ufo-iam` tag. */
    readonly managed: boolean;
    /** Pretty JSON of the live role ("" when it does not exist) and of the desired one, for a diff editor. */
    readonly live: string;
    readonly desired: string;
    /** The steps apply would run for this role, as sentences. */
    readonly steps: readonly string[];
    /** For a blocked role: what adopting it would do. */
    readonly adoptSteps: readonly string[];
    /**
     * What the change grants that the live role does not and what it takes away (the plan's access summary lines,
     * e.g. `+ 4 actions: 1 privilege escalation (iam:PassRole on *), 3 Write`); empty when nothing differs.
     */
    readonly access: readonly string[];
  }
  export type Result =
    | {
        readonly kind: 'plan';
        /** Names this plan for `ApplyRolesRequest` (kept by the server for a while). */
        readonly planId: string;
        readonly root: string;
        readonly ufoVersion: UfoVersion;
        readonly model: Model;
        readonly account?: string;
        readonly callerArn?: string;
        readonly region?: string;
        readonly endpoint?: string;
        readonly roles: readonly Role[];
        readonly plan: PlanCountsSummary;
        /** The plan with adoption, present when a role exists without our tag. */
        readonly adopt?: PlanCountsSummary;
        readonly warnings: readonly string[];
        /** How names were chosen, etc. */
        readonly notes: readonly string[];
        /** The plan as `ufo-iam plan` prints it. */
        readonly text: string;
        /** What the access lines leave out (SCPs, boundaries, session and resource policies) and the IAM data date. */
        readonly accessNote?: string;
      }
    | {
        readonly kind: 'refused';
        /**
         * NOT_A_PROJECT, UNSAVED (a role file has unsaved changes: plans are made from the saved files),
         * BLOCKED (a role file has errors: syntax, arity, values known only when UFO runs), NO_ROLES,
         * NEEDS_TARGET (no `ufoIam.apply.target` and the files do not decide: ask, then send `target`).
         */
        readonly code: 'NOT_A_PROJECT' | 'UNSAVED' | 'BLOCKED' | 'NO_ROLES' | 'NEEDS_TARGET';
        readonly message: string;
        readonly root?: string;
        /** UNSAVED: the `file:` URIs of the role files whose editor text differs from the disk. */
        readonly unsaved?: readonly string[];
        /** BLOCKED: each problem with its place (1-based line and column). */
        readonly blockers?: ReadonlyArray<{ readonly code: string; readonly message: string; readonly fileUri?: string; readonly line?: number; readonly column?: number }>;
      }
    | {
        /** AWS could not be reached or read (credentials, AccessDenied, network, …), explained. */
        readonly kind: 'error';
        readonly code: string;
        readonly message: string;
        readonly missingPermission?: string;
      };
}

/** Applies a plan made by `PlanRolesRequest`, step by step, with `ApplyProgressNotification`s. */
export namespace ApplyRolesRequest {
  export const method = 'ufoIam/applyRoles' as const;
  export interface Params {
    readonly planId: string;
    /** Apply the adoption plan: tag roles that exist without `managed-by=ufo-iam` and change them. */
    readonly adopt?: boolean;
  }
  export interface Result {
    /** `expired` = the plan is unknown to the server (too old, or the server restarted); `error` = AWS failed before any step. */
    readonly status: 'applied' | 'noChanges' | 'failed' | 'refused' | 'stale' | 'expired' | 'error';
    /** For people: what was done, what failed and why, what remains. Never contains credentials. */
    readonly message: string;
    readonly done: readonly string[];
    readonly remaining: readonly string[];
    readonly failed?: {
      readonly step: string;
      readonly operation: string;
      readonly code: string;
      readonly explanation: string;
      readonly missingPermission?: string;
    };
    readonly roles: ReadonlyArray<{ readonly logicalId: string; readonly roleName: string }>;
    readonly account?: string;
    readonly region?: string;
  }
}

/** One step of an apply (sent before and after each step, in order). */
export namespace ApplyProgressNotification {
  export const method = 'ufoIam/applyProgress' as const;
  export interface Params {
    readonly planId: string;
    /** 0-based. */
    readonly index: number;
    readonly total: number;
    readonly state: 'started' | 'succeeded' | 'failed';
    /** Ready to show, e.g. "[2/5] Attach managed policy … to role …". */
    readonly message: string;
  }
}

/** Role ARNs for the task-definition template: the edit to make, computed from the file on disk. */
export namespace TaskDefinitionArnsRequest {
  export const method = 'ufoIam/taskDefinitionArns' as const;
  export interface Params {
    /** A file or folder of the project. */
    readonly uri: string;
    /** The template, relative to the project root; default: the one UFO renders (v5: main.json.erb or the only one). */
    readonly file?: string;
    /** Replace even where the edit is ambiguous (duplicate keys, a value computed by ERB, a conditional key). */
    readonly force?: boolean;
    /** ARNs to write; default: the live ARNs of the roles this project names (IAM GetRole). */
    readonly values?: { readonly taskRoleArn?: string; readonly executionRoleArn?: string };
  }
  export interface Values {
    readonly taskRoleArn?: string;
    readonly executionRoleArn?: string;
  }
  export type Result =
    | {
        readonly kind: 'edit';
        /** The template's `file:` URI and its project-relative path. */
        readonly uri: string;
        readonly file: string;
        readonly edit: WorkspaceEdit;
        readonly values: Values;
        /** SHA-256 (hex) of the text the edit was computed from, so the client can check its editor holds the same. */
        readonly baseSha256: string;
        /** E.g. that UFO replaces the ARN with its own CloudFormation role while the role file builds one. */
        readonly notes: readonly string[];
      }
    | { readonly kind: 'unchanged'; readonly uri: string; readonly file: string; readonly values: Values; readonly notes: readonly string[] }
    /** Several v5 templates and none is main.json.erb: ask the user, then send `file`. */
    | { readonly kind: 'choose'; readonly message: string; readonly candidates: readonly string[] }
    | {
        readonly kind: 'refused';
        /** DUPLICATE_KEY, ERB_VALUE, NOT_A_STRING, CONDITIONAL_KEY (all may be forced), NO_TOP_LEVEL_OBJECT, INVALID_ARN, NOT_A_PROJECT, NO_TEMPLATE, NO_ROLES. */
        readonly code: string;
        readonly message: string;
        /** Whether `force: true` would go ahead. */
        readonly canForce: boolean;
        readonly uri?: string;
        readonly file?: string;
      }
    | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly missingPermission?: string };
}

// ── JSON → DSL and import (issue 13). The server converts; the client pastes, inserts or writes the text it gets.

/** Converts a JSON policy document into an `iam_policy` call, in the key style of the role file `uri`. */
export namespace ConvertPolicyRequest {
  export const method = 'ufoIam/convertPolicy' as const;
  export interface Params {
    /** The role file the call goes into (its key style and UFO version). */
    readonly uri: string;
    /** The JSON text. */
    readonly json: string;
    /** The policy name; default the document's first Sid, else `Policy`. */
    readonly name?: string;
  }
  export type Result =
    | { readonly kind: 'converted'; readonly text: string; readonly name: string; readonly notes: readonly string[] }
    /** The text is not JSON, or not a policy document UFO can write (`message` says which and why). */
    | { readonly kind: 'notPolicy'; readonly message: string };
}

/** Reads a live role from IAM and returns the role file to write for it (the client asks before replacing a file). */
export namespace ImportRoleRequest {
  export const method = 'ufoIam/importRole' as const;
  export interface Params {
    /** A file or folder of the project. */
    readonly uri: string;
    readonly roleName: string;
    readonly roleType: 'task_role' | 'execution_role';
  }
  export type Result =
    | {
        readonly kind: 'import';
        /** The role file's `file:` URI and project-relative path. */
        readonly fileUri: string;
        readonly file: string;
        /** The file exists: writing replaces what UFO reads for this role. */
        readonly exists: boolean;
        readonly text: string;
        readonly notes: readonly string[];
      }
    | { readonly kind: 'refused' | 'error'; readonly message: string };
}

// ── Moving roles between UFO's stack and the pre-created folder (docs/moving-roles.md). The server computes the
// renames and the template edit from the saved files; the client shows the preview, asks, and applies the edit.

/** The WorkspaceEdit that moves the project's role files to the other model, with a preview of what UFO deploys after it. */
export namespace MoveRolesRequest {
  export const method = 'ufoIam/moveRoles' as const;
  export interface Params {
    /** A file or folder of the project. */
    readonly uri: string;
    /** `precreated`: UFO's role files into the pre-created folder; `stack`: the pre-created folder's files back where UFO reads them. */
    readonly to: ApplyTarget;
    /** Moving to the stack: leave the template's literal ARNs of the roles UFO now builds (it replaces them anyway). */
    readonly keepTemplateArns?: boolean;
  }
  export type Result =
    | {
        readonly kind: 'edit';
        readonly root: string;
        /** RenameFile operations (project files, never overwriting), then the template's TextDocumentEdit when ARNs are removed. */
        readonly edit: WorkspaceEdit;
        readonly moves: ReadonlyArray<{ readonly from: string; readonly to: string; readonly fromUri: string; readonly toUri: string }>;
        /** The template whose ARNs the edit removes, with the SHA-256 (hex) of the text the edit was computed from. */
        readonly template?: { readonly uri: string; readonly file: string; readonly removed: readonly string[]; readonly baseSha256: string };
        /** Literal ARNs UFO replaces that the edit leaves in the template (asked to keep, or not removable safely). */
        readonly keptArns: readonly string[];
        /** One line: what UFO builds after the move. */
        readonly headline: string;
        /** What UFO deploys after the move (and what ufo-iam applies to pre-created roles), compiled from the moved layout. */
        readonly preview: string;
        readonly notes: readonly string[];
      }
    | {
        readonly kind: 'refused';
        /** NOT_A_PROJECT, UNSAVED (files under .ufo/ have unsaved changes), NO_ROLES, NO_FOLDER, DESTINATION_EXISTS, SHADOWED. */
        readonly code: string;
        readonly message: string;
        readonly unsaved?: readonly string[];
      };
}

/** An AccessDenied message explained, with the role file edit that allows the request (docs/access-denied.md). */
export namespace ExplainDeniedRequest {
  export const method = 'ufoIam/explainDenied' as const;
  export interface Params {
    /** A file or folder of the project. */
    readonly uri: string;
    /** The error text as pasted. */
    readonly message: string;
    /** Allow the action on `"*"` instead of the denied resource. */
    readonly wildcard?: boolean;
  }
  export type Result =
    | {
        readonly kind: 'explained';
        readonly denied: AccessDenied;
        /** The reason in words. */
        readonly reason: string;
        /** The explanation as lines (the CLI's text). */
        readonly lines: readonly string[];
        /** The edit, when one allows the request: one TextDocumentEdit of the role file (versioned when it is open). */
        readonly edit?: { readonly uri: string; readonly file: string; readonly title: string; readonly diff: string; readonly workspaceEdit: WorkspaceEdit };
        /** Why there is no edit: ALLOW_CANNOT_HELP, ROLE_NOT_FOUND, NOT_A_ROLE, NO_ROLE_FILE, ALREADY_ALLOWED, SYNTAX_ERRORS, … */
        readonly noEdit?: { readonly code: string; readonly message: string };
      }
    /** NOT_ACCESS_DENIED / NO_DETAILS: the text names no denied principal and action; NOT_A_PROJECT, INVALID_PARAMS. */
    | { readonly kind: 'refused'; readonly code: string; readonly message: string };
}

/** What the status bar shows for the active role file (features/status.ts). */
export namespace StatusRequest {
  export const method = 'ufoIam/status' as const;
  export interface Params {
    readonly textDocument: { readonly uri: string };
  }
  export interface Result {
    /** The date of the IAM data in use; absent when it cannot be loaded. */
    readonly dataDate?: string;
    /** Bundled with the extension, or downloaded by "UFO: Update IAM Data" / `ufo-iam update-data`. */
    readonly dataSource?: 'bundled' | 'downloaded';
    /** "IAM data of 2026-09-26 (bundled, 68 days old)", as `ufo-iam --version` says it. */
    readonly dataText?: string;
    /** Absent outside a UFO project. */
    readonly ufoVersion?: UfoVersion;
    readonly target?: ApplyTarget | 'unchosen';
    /** The preview's line naming the target and what chose it. */
    readonly targetText?: string;
    /** The file's findings by severity, as published. */
    readonly counts: { readonly error: number; readonly warning: number; readonly information: number; readonly hint: number };
  }
}

/** "Can the role do this?": what `ufo-iam can` answers (docs/evaluation.md), from the open editors' text where a role file is open. */
export namespace CanRequest {
  export const method = 'ufoIam/can' as const;
  export type Role = 'TaskRole' | 'ExecutionRole';
  export interface Params {
    /** A file or folder of the project. */
    readonly uri: string;
    /** Undefined: every role the project builds. */
    readonly role?: Role;
    /** One action, `service:Action`; undefined asks only which roles the project builds (`kind: 'roles'`). */
    readonly action?: string;
    /** The resource's ARN; undefined asks "on some resource?". */
    readonly resource?: string;
    /** Context lines as `--context` takes them: `KEY=VALUE` (repeated: several values) and `!KEY` (absent). */
    readonly context?: readonly string[];
  }
  /** One matched statement, as `ufo-iam can --format json` prints it, with the role file's URI for inline ones. */
  export interface Statement {
    readonly effect: 'Allow' | 'Deny' | 'unknown';
    readonly applies: boolean | 'unknown';
    readonly deciding: boolean;
    readonly source:
      | { readonly kind: 'inline'; readonly file: string; readonly uri: string; readonly line: number | null; readonly policyName: string; readonly sid: string | null }
      | { readonly kind: 'managed'; readonly policyName: string; readonly arn: string; readonly statementIndex: number; readonly sid: string | null }
      | { readonly kind: 'unknownDocument'; readonly arn: string; readonly reason: string };
    readonly reasons: readonly string[];
  }
  /** One role's answer: the CLI's JSON object (files relative to the project root) and the role file's URI. */
  export interface RoleAnswer {
    readonly decision: 'allowed' | 'explicitDeny' | 'implicitDeny' | 'conditional';
    readonly role: Role;
    readonly action: string;
    readonly resource: string | null;
    readonly matched: readonly Statement[];
    readonly why: string;
    readonly notConsidered: string;
    readonly dataDate: string;
    readonly fileUri: string;
  }
  export type Result =
    | { readonly kind: 'roles'; readonly root: string; readonly source: 'ufo' | 'precreated'; readonly roles: readonly Role[] }
    | {
        readonly kind: 'answered';
        readonly root: string;
        readonly source: 'ufo' | 'precreated';
        /** allowed only if every role asked is; else explicitDeny/implicitDeny if any is; else conditional. */
        readonly overall: RoleAnswer['decision'];
        readonly answers: readonly RoleAnswer[];
        /** The CLI's text answer (files relative to the project root). */
        readonly lines: readonly string[];
        readonly notConsidered: string;
        readonly dataDate: string;
        /** Role files (project-relative) whose open editor's unsaved text was evaluated instead of the file on disk. */
        readonly unsaved: readonly string[];
      }
    /** NOT_A_PROJECT, INVALID_PARAMS (a bad action, role or context line), BUILD_FAILS (with `problems`), NO_ROLE, INTERNAL_ERROR. */
    | { readonly kind: 'refused'; readonly code: string; readonly message: string; readonly problems?: readonly { readonly file: string; readonly line: number; readonly column: number; readonly code: string; readonly message: string }[] };
}

/** "UFO: Update IAM Data" (features/updateData.ts): `ufo-iam update-data` in the server, which then switches to the new data. */
export namespace UpdateDataRequest {
  export const method = 'ufoIam/updateData' as const;
  export interface Params {
    /** The service list's URL; AWS's when absent. */
    readonly from?: string;
    readonly dryRun?: boolean;
  }
  export interface Result {
    readonly ok: boolean;
    /** Why nothing changed (ok false). */
    readonly reason?: string;
    /** What `ufo-iam update-data` prints: counts, services and actions added and removed, where it was stored. */
    readonly lines: readonly string[];
    /** The data in use after the request: "IAM data of … (downloaded from …, from today)". */
    readonly dataText: string;
  }
}

/** Sent while UpdateDataRequest downloads: service files done of total. */
export namespace UpdateDataProgressNotification {
  export const method = 'ufoIam/updateDataProgress' as const;
  export interface Params {
    readonly done: number;
    readonly total: number;
  }
}

/**
 * The effective-permissions tree of the Explorer (docs/evaluation.md): what `ufo-iam permissions --format json` answers,
 * from the open editors' text, grouped role → service → access level → action → source, with each inline statement's
 * file URI and range so a click opens it.
 */
export namespace PermissionsRequest {
  export const method = 'ufoIam/permissions' as const;
  export interface Params {
    /** A file or folder of the project. */
    readonly uri: string;
    /**
     * Answer without the actions (each level's `actions` empty, its `count` set): what the view shows first. A role
     * with ReadOnlyAccess allows thousands of actions, megabytes of JSON that would hold the server's thread (and a
     * completion typed meanwhile) while it is written; the view asks for a service's actions when it is expanded.
     * A full answer that would list more than about 8 MB of actions (MAX_LISTED_CHARS of features/permissions.ts)
     * comes as the overview too, its result saying `overview: true`: ask for its services one by one.
     */
    readonly overview?: boolean;
    /** Answer only this service's actions (`kind: 'service'`), from the same computation as the overview. */
    readonly service?: ServiceQuery;
  }
  export interface ServiceQuery {
    readonly role: 'TaskRole' | 'ExecutionRole';
    /** The explicitly denied actions of the service instead of the allowed ones. */
    readonly denied: boolean;
    readonly service: string;
  }
  /** Where an allowing (or denying) statement is: the CLI's label (`file:line`, or the managed policy's name). */
  export interface Source {
    readonly kind: 'inline' | 'managed' | 'unknownDocument';
    readonly label: string;
    /** The role file of an inline statement, and the statement's range in the text that was evaluated. */
    readonly uri?: string;
    readonly range?: Range;
    readonly policyName?: string;
    readonly sid?: string;
    /** The managed policy's ARN. */
    readonly arn?: string;
  }
  export interface Action {
    readonly action: string;
    readonly resources: readonly string[];
    readonly conditional: boolean;
    /** One per statement, in the CLI's order (a label may repeat). */
    readonly sources: readonly Source[];
  }
  export interface Level {
    readonly accessLevel: string;
    /** How many actions: `actions.length`, except in an overview answer, whose `actions` are empty. */
    readonly count: number;
    readonly actions: readonly Action[];
  }
  export interface Service {
    /** The prefix (`s3`) and the service's name in the IAM data. */
    readonly service: string;
    readonly name: string;
    readonly levels: readonly Level[];
  }
  /** A statement not evaluated: an attached policy whose document is unknown, or an `iam_policy` fed by a splat. */
  export interface UnknownDocument {
    readonly label: string;
    readonly reason: string;
    readonly arn?: string;
    readonly uri?: string;
    readonly range?: Range;
  }
  export interface Role {
    readonly logicalId: 'TaskRole' | 'ExecutionRole';
    /** Relative to the project root, as the CLI prints it from there. */
    readonly file: string;
    readonly fileUri: string;
    readonly allowed: readonly Service[];
    readonly denied: readonly Service[];
    readonly unknownDocuments: readonly UnknownDocument[];
    readonly counts: { readonly allowed: number; readonly conditional: number; readonly denied: number; readonly services: number };
    /** Set when UFO may build the role but registers its policies only through deploy-time code (the CLI's `unknownRole`). */
    readonly unknownRole?: string;
  }
  export type Result =
    | {
        readonly kind: 'permissions';
        readonly root: string;
        readonly source: 'ufo' | 'precreated';
        readonly roles: readonly Role[];
        readonly notConsidered: string;
        readonly dataDate: string;
        readonly managedPoliciesDate: string;
        /** Role files (project-relative) whose open editor's unsaved text was evaluated instead of the file on disk. */
        readonly unsaved: readonly string[];
        /** Set for an overview (asked for, or a full answer too large to list): every level's `actions` is empty, its `count` says how many. */
        readonly overview?: true;
      }
    /** The actions of the service asked for (`params.service`), every level with its actions; none when it has none. */
    | { readonly kind: 'service'; readonly service: Service }
    /** The request was cancelled, or a role file changed while it was computed: a newer request answers. */
    | { readonly kind: 'stale' }
    /** NOT_A_PROJECT, BUILD_FAILS (with `problems`, 1-based, files relative to the root), NO_ROLE, INTERNAL_ERROR. */
    | { readonly kind: 'refused'; readonly code: string; readonly message: string; readonly problems?: readonly { readonly file: string; readonly uri: string; readonly line: number; readonly column: number; readonly code: string; readonly message: string }[] };
}
