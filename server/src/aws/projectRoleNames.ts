// The IAM names of a project's roles: the pure template logic of core/layout/roleName.ts fed with the
// settings, the environment, `.ufo/config.rb` (read statically) and the folder name.
import * as path from 'node:path';
import {
  DEFAULT_ROLE_NAME_TEMPLATE,
  renderRoleName,
  resolveNameParts,
  type LogicalRoleId,
  type RoleNameParts,
  type RoleNameResult,
} from '../core/layout/roleName';
import { readConfigApp, type ConfigApp } from '../project/ufoConfig';

export interface RoleNameOptions {
  /** The `ufoIam.app` setting / `--app`. */
  app?: string;
  /** The `ufoIam.env` setting / `--env`. */
  env?: string;
  /** The `ufoIam.roleNameTemplate` setting; default `{app}-{role}-{env}-{logicalId}`. */
  template?: string;
  /** Where UFO_APP, UFO_ENV, UFO_ROLE and UFO_EXTRA come from; default process.env. */
  processEnv?: NodeJS.ProcessEnv;
  prismWasmPath?: string;
}

export interface ProjectRoleNames {
  template: string;
  parts: RoleNameParts;
  names: Record<LogicalRoleId, RoleNameResult>;
  /** Set when `.ufo/config.rb` was consulted. */
  configApp?: ConfigApp;
  /** Things worth telling the user, e.g. that config.app was dynamic and the folder name was used. */
  notes: string[];
}

export function resolveProjectRoleNames(root: string, ufoVersion: 5 | 6, options: RoleNameOptions = {}): ProjectRoleNames {
  const environment = options.processEnv ?? process.env;
  const template = options.template && options.template.trim() !== '' ? options.template : DEFAULT_ROLE_NAME_TEMPLATE;
  const notes: string[] = [];
  // config.rb is only read when neither the option nor UFO_APP decides the app.
  const needConfig = !options.app && !environment.UFO_APP;
  const configApp = needConfig ? readConfigApp(root, { prismWasmPath: options.prismWasmPath }) : undefined;
  const folderName = path.basename(path.resolve(root));
  if (configApp && configApp.app === undefined && configApp.line !== undefined) {
    notes.push(
      `${configApp.note} (${configApp.file}:${configApp.line}), which ufo-iam cannot evaluate; the app name is the folder name "${folderName}". ` +
        `Set ufoIam.app or UFO_APP to choose it.`,
    );
  }
  const parts = resolveNameParts({
    explicitApp: options.app,
    explicitEnv: options.env,
    environment,
    configApp: configApp?.app,
    folderName,
    ufoVersion,
  });
  return {
    template,
    parts,
    names: {
      TaskRole: renderRoleName(template, parts, 'TaskRole'),
      ExecutionRole: renderRoleName(template, parts, 'ExecutionRole'),
    },
    ...(configApp ? { configApp } : {}),
    notes,
  };
}
