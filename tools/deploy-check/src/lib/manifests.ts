import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asObjArray = (v: unknown): Obj[] => asArray(v).filter(isObj);

/** Walks a dotted path through nested objects; undefined when any step is missing. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface Manifest {
  file: string;
  doc: Obj;
}

/** Every document of a YAML file; a syntax error or warning throws with the file name. */
export function loadYamlFile(file: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { prettyErrors: true });
  const out: Obj[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = d.toJS();
    if (value === null || value === undefined) continue;
    if (!isObj(value)) throw new Error(`${file}: a document is not a mapping`);
    out.push(value);
  }
  return out;
}

export function listFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, pattern));
    else if (pattern.test(name)) out.push(p);
  }
  return out;
}

export interface KustomizeTree {
  dir: string;
  kustomization: Obj;
  /** Resources reachable through `resources` and `components`, in order (patches not applied). */
  resources: Manifest[];
  /** Files (relative to the repo) referenced by this kustomization or one below it. */
  referencedFiles: string[];
}

function kustomizationFile(dir: string): string {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${dir}: no kustomization file`);
}

/**
 * Resolves a kustomization the way `kustomize build` finds its inputs: every `resources` entry (file or directory
 * with its own kustomization), `components`, `patches[].path` and `configMapGenerator` files must exist.
 */
export function resolveKustomization(dir: string, repoRoot: string): KustomizeTree {
  const file = kustomizationFile(dir);
  const [kustomization] = loadYamlFile(file);
  if (!kustomization) throw new Error(`${file}: empty`);
  const resources: Manifest[] = [];
  const referencedFiles: string[] = [relative(repoRoot, file)];
  const need = (p: string, what: string): string => {
    const abs = resolve(dir, p);
    if (!existsSync(abs)) throw new Error(`${file}: ${what} "${p}" does not exist`);
    return abs;
  };
  for (const entry of [...asArray(kustomization['resources']), ...asArray(kustomization['components'])]) {
    const p = need(String(entry), 'resource');
    if (statSync(p).isDirectory()) {
      const sub = resolveKustomization(p, repoRoot);
      resources.push(...sub.resources);
      referencedFiles.push(...sub.referencedFiles);
    } else {
      referencedFiles.push(relative(repoRoot, p));
      for (const doc of loadYamlFile(p)) resources.push({ file: relative(repoRoot, p), doc });
    }
  }
  for (const patch of asObjArray(kustomization['patches'])) {
    const p = str(patch['path']);
    if (p) referencedFiles.push(relative(repoRoot, need(p, 'patch')));
  }
  for (const gen of asObjArray(kustomization['configMapGenerator'])) {
    for (const f of [...asArray(gen['envs']), ...asArray(gen['files'])]) referencedFiles.push(relative(repoRoot, need(String(f), 'generator input')));
  }
  return { dir, kustomization, resources, referencedFiles };
}

/** KEY=VALUE lines of a kustomize `envs` file. */
export function readEnvFile(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) throw new Error(`${file}: bad line "${t}"`);
    out.set(t.slice(0, eq), t.slice(eq + 1));
  }
  return out;
}

/** Every string value inside a parsed document (keys excluded). */
export function stringValues(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => stringValues(x, out));
  else if (isObj(v)) Object.values(v).forEach((x) => stringValues(x, out));
  return out;
}

export const findDoc = (ms: Manifest[], kind: string, name: string): Manifest | undefined =>
  ms.find((m) => m.doc['kind'] === kind && at(m.doc, 'metadata.name') === name);

export const repoRootFrom = (here: string): string => resolve(here, '../../..');
