// Compiles what the converter wrote with the real compiler (Prism, the model, compileRoles, all through the core's
// façade) and returns the PolicyDocument UFO would build from it, printed by the one JSON printer.
import { analyzeRoleFile, compileRoles, toJsonText, type CMap, type CValue, type UfoVersion } from '../../../server/src/core';
import { parse } from '../../support/core';

export function compiledDocuments(text: string, version: UfoVersion = 6): { documents: string[]; managed: string[]; findings: string[] } {
  const analysis = analyzeRoleFile(parse(), text);
  const { resources } = compileRoles({ task_role: analysis.model }, version);
  const props = (resources.get('TaskRole') as CMap | undefined)?.get('Properties') as CMap | undefined;
  const policies = (props?.get('Policies') ?? []) as CMap[];
  return {
    documents: policies.map((p) => toJsonText(p.get('PolicyDocument')!)),
    managed: ((props?.get('ManagedPolicyArns') ?? []) as CValue[]).map(String),
    findings: analysis.findings.map((f) => `${f.code}: ${f.message}`),
  };
}

/** The document as UFO writes it: Version first, Statement always an array. */
export function asUfoWritesIt(doc: CMap): string {
  const statement = doc.get('Statement')!;
  return toJsonText(
    new Map<string, CValue>([
      ['Version', '2012-10-17'],
      ['Statement', Array.isArray(statement) ? statement : [statement]],
    ]),
  );
}
